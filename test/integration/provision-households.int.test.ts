// What `npm start` provisions before agents connect (scripts/provision-households.ts), on a real
// migrated auth database: the demo account, neighbour households, agents whose secrets the
// broker's directory accepts, and a file the fleet can read — and a second start reuses it all,
// agent secrets included while the file still proves them, and never touches a real agent.
import { readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { createPostgresDatabase } from '../../infra/postgres.js';
import { createPgDirectory } from '../../lib/auth/pg-directory.js';
import { OPERATOR_EMAIL, provisionHouseholds, READ_SERVICE_CLIENT_ID } from '../../scripts/provision-households.js';
import { ARGON2_FLOOR } from '../../services/auth/config.js';
import { createPasswordHasher } from '../../services/auth/domain/passwords.js';
import { silentLogger } from '../../lib/log.js';
import { createAuthService } from '../../services/auth/app.js';
import { DEMO_EMAIL, DEMO_PASSWORD, type DemoAgent } from '../../services/auth/demo-account.js';
import { sha256 } from '../../services/auth/domain/secrets.js';
import { testConfig } from '../../services/auth/test/auth-test-service.js';
import { migrateAuthDatabase } from '../../services/auth/migrate.js';
import { makeTempDir, type TempDir } from '../support/temp-dir.js';

let url: string;
let pool: pg.Pool;
let dir: TempDir;

beforeAll(async () => {
  url = await createPostgresDatabase({ url: inject('postgresUrl') }, `provision_${Date.now().toString(36)}`);
  await migrateAuthDatabase(url);
  pool = new pg.Pool({ connectionString: url, max: 2 });
  dir = makeTempDir('provision');
});

afterAll(async () => {
  await pool.end();
  dir.remove();
});

describe('provisionHouseholds', () => {
  it('gives the demo household several agents, each neighbour one, and the fleet a private credentials file', async () => {
    const agentsFile = dir.join('agents.json');
    const first = await provisionHouseholds({ databaseUrl: url, households: 3, demoAgents: 2, agentsFile });

    expect(first.agents).toHaveLength(4);
    expect(first.agents.filter((a) => a.householdId === first.demoHouseholdId)).toHaveLength(2);
    expect(new Set(first.agents.map((a) => a.householdId)).size).toBe(3);
    expect(statSync(agentsFile).mode & 0o777).toBe(0o600);
    expect(JSON.parse(readFileSync(agentsFile, 'utf8'))).toEqual(first.agents);

    // Through the broker's own role, as the broker checks them under npm start.
    const brokerPool = new pg.Pool({ connectionString: first.databaseUrls.broker, max: 1 });
    const directory = createPgDirectory(brokerPool);
    for (const agent of first.agents) {
      await expect(directory.verifyAgent(agent.agentId, agent.secret)).resolves.toMatchObject({ agentId: agent.agentId, householdId: agent.householdId });
    }
    await brokerPool.end();
    expect(new URL(first.databaseUrls.broker).username).not.toBe(new URL(url).username);
    const owners = await pool.query<{ household_id: string }>(
      'SELECT m.household_id FROM memberships m JOIN users u ON u.id = m.user_id WHERE u.email_normalized = $1',
      [DEMO_EMAIL],
    );
    expect(owners.rows.map((r) => r.household_id)).toEqual([first.demoHouseholdId]);
    const operator = await pool.query<{ role: string; password_hash: string }>('SELECT role, password_hash FROM users WHERE email_normalized = $1', [OPERATOR_EMAIL]);
    expect(operator.rows[0]?.role).toBe('admin');
    await expect(createPasswordHasher(ARGON2_FLOOR).verify(operator.rows[0]?.password_hash ?? '', first.operatorPassword)).resolves.toBe(true);
    const client = await pool.query('SELECT 1 FROM service_clients WHERE client_id = $1', [READ_SERVICE_CLIENT_ID]);
    expect(client.rowCount).toBe(1);
    expect(first.readClientSecret.length).toBeGreaterThanOrEqual(32);
  });

  it('on the next start reuses users, households and agents, and keeps each agent secret the file holds: same secrets, same hashes, nothing for the broker to cut off', async () => {
    const db = await freshDatabase();
    const agentsFile = dir.join('again.json');
    const before = await provisionHouseholds({ databaseUrl: db, households: 3, demoAgents: 2, agentsFile });
    expect(before).toMatchObject({ agentSecretsKept: 0, previousFileProblem: 'missing' });
    const rowsBefore = await agentRows(db);
    const sinceMs = Date.now() - 60_000; // as far back as a broker starting now looks (broker/credential-watch.ts)

    const after = await provisionHouseholds({ databaseUrl: db, households: 3, demoAgents: 2, agentsFile });

    expect(after.demoHouseholdId).toBe(before.demoHouseholdId);
    expect(after.agents).toEqual(before.agents);
    expect(after).toMatchObject({ agentSecretsKept: 4, previousFileProblem: undefined });
    expect(await agentRows(db)).toEqual(rowsBefore); // same hashes; rotated_at and credentials_changed_at untouched
    const brokerView = createPgDirectory(poolFor(after.databaseUrls.broker)); // as the broker sees it, through its own role
    expect((await brokerView.credentialChangesSince(sinceMs)).changes).toEqual([]);
    expect(JSON.parse(readFileSync(agentsFile, 'utf8'))).toEqual(before.agents);
    expect(statSync(agentsFile).mode & 0o777).toBe(0o600);
    await expectWorking(db, after.agents);
  });

  it('when the file is missing, then the same agents get fresh, working secrets and the old ones stop working', async () => {
    const db = await freshDatabase();
    const agentsFile = dir.join('missing.json');
    const before = await provisionHouseholds({ databaseUrl: db, households: 2, demoAgents: 2, agentsFile });
    rmSync(agentsFile);

    const after = await provisionHouseholds({ databaseUrl: db, households: 2, demoAgents: 2, agentsFile });

    expect(after).toMatchObject({ agentSecretsKept: 0, previousFileProblem: 'missing' });
    expect(after.agents.map((a) => a.agentId)).toEqual(before.agents.map((a) => a.agentId));
    await expectFresh(db, before.agents, after.agents);
    expect(JSON.parse(readFileSync(agentsFile, 'utf8'))).toEqual(after.agents);
  });

  it('when the file is not JSON, then every agent gets a fresh, working secret and the start says why', async () => {
    const db = await freshDatabase();
    const agentsFile = dir.join('garbled.json');
    const before = await provisionHouseholds({ databaseUrl: db, households: 2, demoAgents: 2, agentsFile });
    writeFileSync(agentsFile, JSON.stringify(before.agents).slice(0, 50)); // as a start killed mid-write once left it

    const after = await provisionHouseholds({ databaseUrl: db, households: 2, demoAgents: 2, agentsFile });

    expect(after.agentSecretsKept).toBe(0);
    expect(after.previousFileProblem).toMatch(/^unreadable \(/);
    await expectFresh(db, before.agents, after.agents);
  });

  it('when one secret in the file was altered, another entry mangled and another agent rotated through the auth API, then only those get fresh secrets', async () => {
    const db = await freshDatabase();
    const agentsFile = dir.join('tampered.json');
    const before = await provisionHouseholds({ databaseUrl: db, households: 3, demoAgents: 2, agentsFile });
    const [altered, mangled, rotated, kept] = before.agents as [DemoAgent, DemoAgent, DemoAgent, DemoAgent];
    writeFileSync(
      agentsFile,
      JSON.stringify([{ ...altered, secret: `${altered.secret.slice(0, -1)}x` }, { agentId: mangled.agentId, secret: 42 }, rotated, kept]),
    );
    await poolFor(db).query('UPDATE agents SET secret_hash = $2, rotated_at = now() WHERE id = $1', [rotated.agentId, sha256('elsewhere')]);
    const rowsBefore = await agentRows(db);

    const after = await provisionHouseholds({ databaseUrl: db, households: 3, demoAgents: 2, agentsFile });

    expect(after.agents.map((a) => a.agentId)).toEqual(before.agents.map((a) => a.agentId));
    expect(after.agentSecretsKept).toBe(1);
    expect(after.agents[3]).toEqual(kept);
    expect((await agentRows(db)).find((r) => r.id === kept.agentId)).toEqual(rowsBefore.find((r) => r.id === kept.agentId));
    await expectFresh(db, [altered, mangled, rotated], after.agents.slice(0, 3));
  });

  it('never touches an agent a person registered through the auth API, even in the demo household beside a revoked simulated agent', async () => {
    const db = await freshDatabase();
    const agentsFile = dir.join('real-agent.json');
    const before = await provisionHouseholds({ databaseUrl: db, households: 1, demoAgents: 2, agentsFile });
    const auth = await createAuthService(testConfig(db), { log: silentLogger() });
    await auth.start();
    let real: { agentId: string; password: string };
    let revoked: DemoAgent;
    try {
      const request = (method: 'GET' | 'POST' | 'DELETE', url: string, token?: string, body?: unknown) =>
        auth.app.inject({
          method,
          url,
          headers: { ...(token === undefined ? {} : { authorization: `Bearer ${token}` }), ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
          ...(body === undefined ? {} : { payload: JSON.stringify(body) }),
        });
      const login = await request('POST', '/v1/auth/login', undefined, { email: DEMO_EMAIL, password: DEMO_PASSWORD });
      const token = login.json<{ access_token: string }>().access_token;
      revoked = before.agents[0] as DemoAgent;
      expect((await request('DELETE', `/v1/households/${before.demoHouseholdId}/agents/${revoked.agentId}`, token)).statusCode).toBe(204);
      const registered = await request('POST', `/v1/households/${before.demoHouseholdId}/agents`, token, { name: 'demo agent 3' });
      expect(registered.statusCode).toBe(201);
      real = registered.json<{ agentId: string; password: string }>();
    } finally {
      await auth.stop();
    }
    // Even a file that names it with some other secret does not make it ours.
    writeFileSync(agentsFile, JSON.stringify([...before.agents, { householdId: before.demoHouseholdId, agentId: real.agentId, secret: 'not-its-secret' }]));
    const realRow = (await agentRows(db)).find((r) => r.id === real.agentId);

    const after = await provisionHouseholds({ databaseUrl: db, households: 1, demoAgents: 2, agentsFile });

    expect((await agentRows(db)).find((r) => r.id === real.agentId)).toEqual(realRow);
    await expect(createPgDirectory(poolFor(db)).verifyAgent(real.agentId, real.password)).resolves.toBeDefined();
    const ids = after.agents.map((a) => a.agentId);
    expect(ids).not.toContain(real.agentId);
    expect(ids).not.toContain(revoked.agentId);
    expect(ids[0]).toBe(before.agents[1]?.agentId); // kept, with its secret
    expect(after.agents[0]?.secret).toBe(before.agents[1]?.secret);
    expect(ids[1]).toMatch(/^sim-/); // a new simulated agent in place of the revoked one
    await expectWorking(db, after.agents);
  });

  it('is not bound by the auth API’s agent quota, which still holds for the demo user through the API (services/auth/README.md, "Quotas")', async () => {
    const db = await freshDatabase();
    const agentsFile = dir.join('over-quota.json');
    const provisioned = await provisionHouseholds({ databaseUrl: db, households: 1, demoAgents: 3, agentsFile });
    expect(provisioned.agents).toHaveLength(3);
    const auth = await createAuthService(testConfig(db, { EM_AUTH_MAX_AGENTS_PER_HOUSEHOLD: '2' }), { log: silentLogger() });
    await auth.start();
    try {
      const login = await auth.app.inject({ method: 'POST', url: '/v1/auth/login', payload: { email: DEMO_EMAIL, password: DEMO_PASSWORD } });
      const registered = await auth.app.inject({
        method: 'POST',
        url: `/v1/households/${provisioned.demoHouseholdId}/agents`,
        headers: { authorization: `Bearer ${login.json<{ access_token: string }>().access_token}` },
      });
      expect(registered.statusCode).toBe(409);
      expect(registered.json()).toMatchObject({ error: 'quota-exceeded', details: [{ quota: 'agents-per-household', limit: 2 }] });
    } finally {
      await auth.stop();
    }
    const again = await provisionHouseholds({ databaseUrl: db, households: 1, demoAgents: 3, agentsFile });
    expect(again.agents.map((a) => a.secret)).toEqual(provisioned.agents.map((a) => a.secret));
  });

  it('keeps the demo agents of a data folder from before simulated ids while the file proves them, and leaves them alone once it cannot', async () => {
    const db = await freshDatabase();
    const agentsFile = dir.join('legacy.json');
    const first = await provisionHouseholds({ databaseUrl: db, households: 1, demoAgents: 1, agentsFile });
    const legacyId = 'a-legacyDemoAgent1';
    await poolFor(db).query('UPDATE agents SET id = $2 WHERE id = $1', [first.agents[0]?.agentId, legacyId]);
    const legacy = { ...(first.agents[0] as DemoAgent), agentId: legacyId };
    writeFileSync(agentsFile, JSON.stringify([legacy]));
    const rowsBefore = await agentRows(db);

    const proven = await provisionHouseholds({ databaseUrl: db, households: 1, demoAgents: 1, agentsFile });
    expect(proven.agents).toEqual([legacy]);
    expect(await agentRows(db)).toEqual(rowsBefore);

    rmSync(agentsFile);
    const unproven = await provisionHouseholds({ databaseUrl: db, households: 1, demoAgents: 1, agentsFile });
    expect(unproven.agents[0]?.agentId).toMatch(/^sim-/);
    expect((await agentRows(db)).find((r) => r.id === legacyId)).toEqual(rowsBefore[0]);
  });
});

const pools = new Map<string, pg.Pool>();
function poolFor(url: string): pg.Pool {
  let existing = pools.get(url);
  if (existing === undefined) {
    existing = new pg.Pool({ connectionString: url, max: 1 });
    pools.set(url, existing);
  }
  return existing;
}
afterAll(async () => Promise.all([...pools.values()].map((p) => p.end())));

let databases = 0;
async function freshDatabase(): Promise<string> {
  const db = await createPostgresDatabase({ url: inject('postgresUrl') }, `provision_${Date.now().toString(36)}_${++databases}`);
  await migrateAuthDatabase(db);
  return db;
}

interface AgentRow {
  id: string;
  secret_hash: Buffer;
  rotated_at: Date | null;
  credentials_changed_at: Date;
}
async function agentRows(url: string): Promise<AgentRow[]> {
  return (await poolFor(url).query<AgentRow>('SELECT id, secret_hash, rotated_at, credentials_changed_at FROM agents ORDER BY id')).rows;
}

async function expectWorking(url: string, agents: readonly DemoAgent[]): Promise<void> {
  const directory = createPgDirectory(poolFor(url));
  for (const agent of agents) {
    await expect(directory.verifyAgent(agent.agentId, agent.secret)).resolves.toMatchObject({ agentId: agent.agentId, householdId: agent.householdId });
  }
}

/** `after` holds new secrets for `before`'s agents: the new ones work, the old ones no longer do. */
async function expectFresh(url: string, before: readonly DemoAgent[], after: readonly DemoAgent[]): Promise<void> {
  const directory = createPgDirectory(poolFor(url));
  expect(after.map((a) => a.agentId)).toEqual(before.map((a) => a.agentId));
  for (const [i, agent] of after.entries()) {
    const old = before[i] as DemoAgent;
    expect(agent.secret).not.toBe(old.secret);
    await expect(directory.verifyAgent(old.agentId, old.secret)).resolves.toBeUndefined();
  }
  await expectWorking(url, after);
}
