// Migration 0004: the agent-registration quota's count is served by agents (household_id,
// created_at), so it reads the household's agents of the last 24 hours and not every agent it ever
// had (revoked ones are kept forever). Migrated over a table that already holds agents, on real
// PostgreSQL; the plan is that of the quota's own query text.
import pg from 'pg';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { AGENT_REGISTRATIONS_IN_DAY_SQL } from '../data/quota-counts.js';
import { migrateAuthDatabase } from '../migrate.js';
import { createTestDatabase } from './auth-test-service.js';
import { INDEX_SCAN, indexesOf, migrateFirst, planWithoutSeqScans, rollBack } from './query-plans.js';

const MIGRATION = '0004_agent-registrations-index';
const INDEX = 'agents_by_household_creation';
const OLD_AGENTS = 300; // registered two days ago and revoked: outside the quota's day
const RECENT_AGENTS = 3;

let databaseUrl: string;
let client: pg.Client;
let householdId: string;
beforeAll(async () => {
  databaseUrl = await createTestDatabase('auth_agent_registrations_index');
  await migrateFirst(databaseUrl, 3);
  client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  const households = await client.query<{ id: string }>("INSERT INTO households (name) VALUES ('busy'), ('other') RETURNING id");
  householdId = households.rows[0]?.id ?? '';
  const agents = `INSERT INTO agents (id, household_id, secret_hash, created_at, revoked_at)
    SELECT $2 || i, $1, '\\x00'::bytea, now() - $3::interval, now() - $3::interval + interval '1 hour' FROM generate_series(1, $4::int) i`;
  await client.query(agents, [householdId, 'old-', '2 days', OLD_AGENTS]);
  await client.query(agents, [householdId, 'new-', '1 hour', RECENT_AGENTS]);
  await client.query(agents, [households.rows[1]?.id, 'other-', '1 hour', 50]);
  await client.query('UPDATE agents SET revoked_at = NULL WHERE id LIKE $1', ['new-%']);
});
afterAll(async () => client?.end());

const indexesOfAgents = (): Promise<Map<string, string>> => indexesOf(client, 'agents');

it('when 0004 is applied over existing agents, then agents has an index on (household_id, created_at) and no longer the one on household_id alone', async () => {
  expect(await migrateAuthDatabase(databaseUrl)).toContain(MIGRATION);
  const indexes = await indexesOfAgents();
  expect(indexes.get(INDEX)).toMatch(/\(household_id, created_at\)$/);
  // Redundant: every query by household alone is served by the new index's leading column.
  expect(indexes.has('agents_by_household')).toBe(false);
});

it('when the quota counts a household with many old revoked agents, then it scans the new index by household and time, reading only the day’s rows', async () => {
  expect((await client.query<{ n: number }>(AGENT_REGISTRATIONS_IN_DAY_SQL, [householdId])).rows[0]?.n).toBe(RECENT_AGENTS);
  // Sequential scans off, so the plan does not depend on the table's size or statistics: this
  // proves the index can serve both conditions, not what the planner picks on a tiny table.
  const { scans } = await planWithoutSeqScans(client, AGENT_REGISTRATIONS_IN_DAY_SQL, [householdId]);
  expect(scans.map((node) => [node['Node Type'], node['Index Name']])).toEqual([[expect.stringMatching(INDEX_SCAN), INDEX]]);
  const [scan] = scans;
  // Both conditions bound the scan (none is a filter over what it read): the old agents are not read.
  expect(scan?.['Index Cond']).toMatch(/household_id = .*created_at >/s);
  expect(scan?.Filter).toBeUndefined();
  expect(scan?.['Actual Rows']).toBe(RECENT_AGENTS);
});

it('when 0004 is rolled back, then the index on household_id alone is back and the new one gone', async () => {
  await rollBack(databaseUrl, MIGRATION);
  const indexes = await indexesOfAgents();
  expect(indexes.get('agents_by_household')).toMatch(/\(household_id\)$/);
  expect(indexes.has(INDEX)).toBe(false);
});
