// What `npm start` provisions before agents connect (scripts/provision-households.ts), on a real
// migrated auth database: the demo account, neighbour households, agents whose secrets the
// broker's directory accepts, and a file the fleet can read — and a second start reuses it all.
import { readFileSync, statSync } from 'node:fs';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { createPostgresDatabase } from '../../infra/postgres.js';
import { createPgDirectory } from '../../lib/auth/pg-directory.js';
import { OPERATOR_EMAIL, provisionHouseholds, READ_SERVICE_CLIENT_ID } from '../../scripts/provision-households.js';
import { ARGON2_FLOOR } from '../../services/auth/config.js';
import { createPasswordHasher } from '../../services/auth/domain/passwords.js';
import { DEMO_EMAIL } from '../../services/auth/demo-account.js';
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
      await expect(directory.verifyAgent(agent.agentId, agent.secret)).resolves.toEqual({ agentId: agent.agentId, householdId: agent.householdId });
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

  it('reuses users, households and agents on the next start but issues fresh secrets', async () => {
    const agentsFile = dir.join('again.json');
    const before = await provisionHouseholds({ databaseUrl: url, households: 2, demoAgents: 2, agentsFile });
    const after = await provisionHouseholds({ databaseUrl: url, households: 2, demoAgents: 2, agentsFile });

    expect(after.demoHouseholdId).toBe(before.demoHouseholdId);
    expect(after.agents.map((a) => a.agentId)).toEqual(before.agents.map((a) => a.agentId));
    const directory = createPgDirectory(pool);
    for (const [i, agent] of after.agents.entries()) {
      const old = before.agents[i];
      if (old === undefined) throw new Error('agent missing');
      await expect(directory.verifyAgent(old.agentId, old.secret)).resolves.toBeUndefined();
      await expect(directory.verifyAgent(agent.agentId, agent.secret)).resolves.toBeDefined();
    }
  });
});
