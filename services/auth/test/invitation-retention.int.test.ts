// Invitations closed (expired, or accepted) more than EM_AUTH_INVITATION_RETENTION_S ago are
// deleted by the periodic prune; open ones and recently closed ones stay, and the audit log's
// records of them stay (they have a retention of their own). The prune is called directly with its `now`, on real PostgreSQL.
// It deletes in batches, the longest closed first.
import { afterAll, beforeAll, expect, it } from 'vitest';
import { silentLogger } from '../../../lib/log.js';
import type { Db } from '../data/db.js';
import { CLOSED_INVITATIONS_BATCH_SQL } from '../data/invitations-repository.js';
import type { PruneOptions } from '../use-cases/prune-in-batches.js';
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

const config = (): ReturnType<typeof testConfig> => testConfig(t.databaseUrl, { EM_AUTH_INVITATION_RETENTION_S: String(RETENTION_S) });
const prune = (now: Date): Promise<number> => pruneClosedInvitations({ db: t.service.db, metrics: t.service.metrics, log: silentLogger(), config: config() }, now);
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

const CUTOFF = new Date(NOW.getTime() - RETENTION_S * 1000);
const at = (msFromCutoff: number): Date => new Date(CUTOFF.getTime() + msFromCutoff);
const DAY_MS = DAY_S * 1000;

/** The prune at `now`, on a db that records the rows each batch deleted. */
function recordedPrune(now: Date, options: PruneOptions = {}): { run: () => Promise<number>; batches: number[] } {
  const batches: number[] = [];
  const db: Db = {
    ...t.service.db,
    async query(sql, params) {
      const rows = await t.service.db.query(sql, params);
      if (sql === CLOSED_INVITATIONS_BATCH_SQL) batches.push((rows[0] as { n: number }).n);
      return rows as never;
    },
  };
  return { run: () => pruneClosedInvitations({ db, metrics: t.service.metrics, log: silentLogger(), config: config() }, now, options), batches };
}

/** `count` invitations to `label`-1@… to `label`-count@… in one household of their own, with the given times. */
async function insertInvitations(label: string, count: number, times: { expiresAt: Date; acceptedAt: Date | null }): Promise<void> {
  await t.service.db.query(
    `WITH household AS (INSERT INTO households (name) VALUES ($1) RETURNING id)
     INSERT INTO invitations (household_id, email, email_normalized, token_hash, expires_at, accepted_at)
     SELECT household.id, $1 || '-' || i || '@example.test', $1 || '-' || i || '@example.test', sha256(($1 || i)::bytea), $2, $3
       FROM household, generate_series(1, $4::int) i`,
    [label, times.expiresAt, times.acceptedAt, count],
  );
}

/** How many invitations of each label are stored, labels with none left out. */
async function leftByLabel(): Promise<Record<string, number>> {
  const rows = await t.service.db.query<{ label: string; n: number }>("SELECT split_part(email, '-', 1) AS label, count(*)::int AS n FROM invitations GROUP BY 1");
  return Object.fromEntries(rows.map((r) => [r.label, r.n]));
}

/** Every invitation, so that each test below starts from its own. */
const clear = async (): Promise<void> => void (await t.service.db.query('DELETE FROM invitations'));

it('when invitations closed just before the cutoff or exactly at it, then those before go and those at it stay, expired and accepted alike', async () => {
  await clear();
  await insertInvitations('expiredbefore', 1, { expiresAt: at(-1), acceptedAt: null });
  await insertInvitations('expiredat', 1, { expiresAt: at(0), acceptedAt: null });
  // Accepted: closed by the acceptance, whatever the expiry after it.
  await insertInvitations('acceptedbefore', 1, { expiresAt: at(5 * DAY_MS), acceptedAt: at(-1) });
  await insertInvitations('acceptedat', 1, { expiresAt: at(5 * DAY_MS), acceptedAt: at(0) });
  await insertInvitations('open', 1, { expiresAt: at(40 * DAY_MS), acceptedAt: null });
  const counted = await pruned();

  const prune = recordedPrune(NOW);
  expect(await prune.run()).toBe(2);
  expect(prune.batches).toEqual([2]);
  expect(await leftByLabel()).toEqual({ expiredat: 1, acceptedat: 1, open: 1 });
  expect(await pruned()).toBe(counted + 2);
});

it('when many invitations are closed, then they go in batches of at most the batch size, until one finds fewer, each counted once', async () => {
  await clear();
  await insertInvitations('expired', 15, { expiresAt: at(-3 * DAY_MS), acceptedAt: null });
  await insertInvitations('accepted', 10, { expiresAt: at(2 * DAY_MS), acceptedAt: at(-DAY_MS) });
  await insertInvitations('open', 3, { expiresAt: at(40 * DAY_MS), acceptedAt: null });
  await insertInvitations('acceptedlately', 3, { expiresAt: at(40 * DAY_MS), acceptedAt: at(DAY_MS) });
  const counted = await pruned();

  const prune = recordedPrune(NOW, { batchRows: 10 });
  expect(await prune.run()).toBe(25);
  expect(prune.batches).toEqual([10, 10, 5]);
  expect(await leftByLabel()).toEqual({ open: 3, acceptedlately: 3 });
  expect(await pruned()).toBe(counted + 25);
});

it('when the service stops during a prune, then no further batch starts; the next prune goes on where it ended', async () => {
  await clear();
  await insertInvitations('expired', 25, { expiresAt: at(-DAY_MS), acceptedAt: null });
  const stopping = new AbortController();
  stopping.abort();
  const first = recordedPrune(NOW, { batchRows: 10, signal: stopping.signal });
  expect(await first.run()).toBe(10);
  expect(first.batches).toEqual([10]);
  const next = recordedPrune(NOW, { batchRows: 10 });
  expect(await next.run()).toBe(15);
  expect(next.batches).toEqual([10, 5]);
});
