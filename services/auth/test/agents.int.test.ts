// Agent credentials: shown once, stored as SHA-256, accepted by the broker's directory
// (lib/auth/pg-directory.ts), and rotate/revoke bump credentials_changed_at.
import { createHash } from 'node:crypto';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createPgDirectory } from '../../../lib/auth/pg-directory.js';
import { ID_PATTERN } from '../../../proto/topics.js';
import { startTestService, type TestService, type TestUser } from './auth-test-service.js';

let t: TestService;
let owner: TestUser;
let householdId: string;
let pool: pg.Pool;

interface Credentials {
  agentId: string;
  householdId: string;
  username: string;
  password: string;
  mqttUrl: string;
  provisioningCommand: string;
}

beforeAll(async () => {
  t = await startTestService('auth_agents');
  owner = await t.newUser('owner');
  householdId = (await t.request('POST', '/v1/households', { headers: owner.auth, body: { name: 'Home' } })).json<{ id: string }>().id;
  pool = new pg.Pool({ connectionString: t.databaseUrl, max: 2 });
});
afterAll(async () => {
  await pool?.end();
  await t?.close();
});

const register = async (name = 'pi'): Promise<Credentials> => {
  const response = await t.request('POST', `/v1/households/${householdId}/agents`, { headers: owner.auth, body: { name } });
  expect(response.statusCode).toBe(201);
  expect(response.headers['cache-control']).toBe('no-store');
  return response.json<Credentials>();
};
const stored = async (agentId: string) =>
  (await t.service.db.query<{ secret_hash: Buffer; credentials_changed_at: Date; rotated_at: Date | null; revoked_at: Date | null }>(
    'SELECT secret_hash, credentials_changed_at, rotated_at, revoked_at FROM agents WHERE id = $1',
    [agentId],
  ))[0];

describe('agents', () => {
  it('when an owner registers an agent, then a topic-safe id and a 256-bit secret come back once, and only its SHA-256 is stored', async () => {
    const credentials = await register();
    expect(credentials.agentId).toMatch(ID_PATTERN);
    expect(credentials).toMatchObject({ householdId, username: credentials.agentId, mqttUrl: 'mqtt://127.0.0.1:1883' });
    expect(Buffer.from(credentials.password, 'base64url')).toHaveLength(32);
    const row = await stored(credentials.agentId);
    expect(row?.secret_hash.equals(createHash('sha256').update(credentials.password).digest())).toBe(true);
    expect(row?.secret_hash.toString('utf8')).not.toContain(credentials.password);
    expect(credentials.provisioningCommand).toContain(`EM_AGENT_PASSWORD='${credentials.password}'`);
    expect(credentials.provisioningCommand).toContain(`EM_AGENT_HOUSEHOLD_ID='${householdId}'`);
    const listed = (await t.request('GET', `/v1/households/${householdId}/agents`, { headers: owner.auth })).json<{ agents: Array<Record<string, unknown>> }>();
    expect(listed.agents.find((a) => a['agentId'] === credentials.agentId)).toMatchObject({ name: 'pi', rotatedAt: null, revokedAt: null });
    expect(JSON.stringify(listed)).not.toContain(credentials.password);
  });

  it('when an owner registers an agent with no body at all, then it is created with an empty name, as `{name?}` promises', async () => {
    const response = await t.request('POST', `/v1/households/${householdId}/agents`, { headers: owner.auth });
    expect(response.statusCode).toBe(201);
    expect(response.json()).toMatchObject({ householdId, name: '' });
  });

  it('when the broker directory checks the returned credentials, then it accepts them', async () => {
    const credentials = await register();
    const directory = createPgDirectory(pool);
    expect(await directory.verifyAgent(credentials.agentId, credentials.password)).toMatchObject({ agentId: credentials.agentId, householdId });
  });

  it('when an agent is rotated, then the old secret stops working, the new one works, and credentials_changed_at moves forward', async () => {
    const credentials = await register();
    const before = await stored(credentials.agentId);
    const rotated = await t.request('POST', `/v1/households/${householdId}/agents/${credentials.agentId}/rotate`, { headers: owner.auth });
    expect(rotated.statusCode).toBe(200);
    const next = rotated.json<Credentials>();
    expect(next.password).not.toBe(credentials.password);
    const after = await stored(credentials.agentId);
    expect(after?.credentials_changed_at.getTime()).toBeGreaterThan(before?.credentials_changed_at.getTime() ?? Infinity);
    expect(after?.rotated_at).not.toBeNull();
    const directory = createPgDirectory(pool);
    expect(await directory.verifyAgent(credentials.agentId, credentials.password)).toBeUndefined();
    // The new secret carries the rotation's stamp, exactly as the broker's credential watch is told
    // of it: the watch leaves a connection made with the new secret alone.
    const change = (await directory.credentialChangesSince(before?.credentials_changed_at.getTime() ?? 0)).changes.find((c) => c.agentId === credentials.agentId);
    expect(change).toBeDefined();
    expect((await directory.verifyAgent(credentials.agentId, next.password))?.credentialsChangedMs).toBe(change?.changedMs);
  });

  it('when an agent is revoked, then credentials_changed_at moves forward, it is refused, and it cannot be rotated back', async () => {
    const credentials = await register();
    const before = await stored(credentials.agentId);
    expect((await t.request('DELETE', `/v1/households/${householdId}/agents/${credentials.agentId}`, { headers: owner.auth })).statusCode).toBe(204);
    const after = await stored(credentials.agentId);
    expect(after?.revoked_at).not.toBeNull();
    expect(after?.credentials_changed_at.getTime()).toBeGreaterThan(before?.credentials_changed_at.getTime() ?? Infinity);
    expect(await createPgDirectory(pool).verifyAgent(credentials.agentId, credentials.password)).toBeUndefined();
    expect((await t.request('POST', `/v1/households/${householdId}/agents/${credentials.agentId}/rotate`, { headers: owner.auth })).statusCode).toBe(404);
    const events = await t.service.db.query<{ event: string }>('SELECT event FROM audit_log WHERE agent_id = $1 ORDER BY id', [credentials.agentId]);
    expect(events.map((e) => e.event)).toEqual(['agent-registered', 'agent-revoked']);
  });

  it('when an agent of another household is addressed through this one, then 404', async () => {
    const other = await t.newUser('other');
    const otherHousehold = (await t.request('POST', '/v1/households', { headers: other.auth, body: { name: 'Theirs' } })).json<{ id: string }>().id;
    const theirAgent = (await t.request('POST', `/v1/households/${otherHousehold}/agents`, { headers: other.auth, body: {} })).json<Credentials>();
    const response = await t.request('DELETE', `/v1/households/${householdId}/agents/${theirAgent.agentId}`, { headers: owner.auth });
    expect(response.statusCode).toBe(404);
    expect((await stored(theirAgent.agentId))?.revoked_at).toBeNull();
  });
});
