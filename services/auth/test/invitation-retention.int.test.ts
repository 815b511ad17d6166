// Invitations closed (expired, or accepted) more than EM_AUTH_INVITATION_RETENTION_S ago are
// deleted by the periodic prune; open ones and recently closed ones stay, and the audit log's
// records of them stay (they have a retention of their own). The prune is called directly with its `now`, on real PostgreSQL.
import { afterAll, beforeAll, expect, it } from 'vitest';
import { silentLogger } from '../../../lib/log.js';
import { pruneClosedInvitations } from '../use-cases/prune-invitations.js';
import { startTestService, testConfig, type TestService } from './auth-test-service.js';

const DAY_S = 24 * 3600;
const RETENTION_S = 30 * DAY_S;
const NOW = new Date('2030-01-31T00:00:00Z'); // the cutoff is 2030-01-01T00:00:00Z

let t: TestService;
beforeAll(async () => {
  t = await startTestService('auth_invitation_retention', { EM_AUTH_INVITATION_RETENTION_S: String(RETENTION_S) });
});
afterAll(async () => t?.close());

const prune = (now: Date): Promise<number> =>
  pruneClosedInvitations({ db: t.service.db, metrics: t.service.metrics, log: silentLogger(), config: testConfig(t.databaseUrl, { EM_AUTH_INVITATION_RETENTION_S: String(RETENTION_S) }) }, now);
const pruned = async (): Promise<number> => (await t.service.metrics.invitationsPruned.get()).values[0]?.value ?? 0;
const count = async (sql: string): Promise<number> => (await t.service.db.query<{ n: number }>(sql))[0]?.n ?? 0;

it('when invitations were closed before the retention, then the prune deletes exactly those, counts them, and leaves the audit log', async () => {
  const owner = await t.newUser('owner');
  const householdId = (await t.request('POST', '/v1/households', { headers: owner.auth, body: { name: 'Home' } })).json<{ id: string }>().id;
  const invitation = async (email: string, expiresAt: string, acceptedAt: string | null): Promise<string> => {
    const response = await t.request('POST', `/v1/households/${householdId}/invitations`, { headers: owner.auth, body: { email } });
    expect(response.statusCode, response.body).toBe(201);
    const { id } = response.json<{ id: string }>();
    await t.service.db.query('UPDATE invitations SET expires_at = $2, accepted_at = $3 WHERE id = $1', [id, expiresAt, acceptedAt]);
    return id;
  };
  const gone = [
    await invitation('expired-long-ago@example.test', '2029-12-31T23:59:59Z', null),
    await invitation('accepted-long-ago@example.test', '2030-01-05T00:00:00Z', '2029-12-31T23:59:59Z'),
  ];
  const kept = [
    await invitation('expired-lately@example.test', '2030-01-01T00:00:01Z', null),
    await invitation('accepted-lately@example.test', '2030-01-05T00:00:00Z', '2030-01-01T00:00:01Z'),
    await invitation('open@example.test', '2030-02-07T00:00:00Z', null),
  ];
  const [audits, counted] = [await count('SELECT count(*)::int AS n FROM audit_log'), await pruned()];

  expect(await prune(NOW)).toBe(gone.length);
  const left = await t.service.db.query<{ id: string }>('SELECT id FROM invitations WHERE household_id = $1', [householdId]);
  expect(left.map((r) => r.id).sort()).toEqual([...kept].sort());
  expect(await pruned()).toBe(counted + gone.length);
  expect(await count('SELECT count(*)::int AS n FROM audit_log')).toBe(audits);

  expect(await prune(NOW)).toBe(0);
  expect(await pruned()).toBe(counted + gone.length);
});
