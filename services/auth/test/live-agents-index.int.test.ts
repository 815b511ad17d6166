// Migration 0005: the live-agent quota's count is served by the partial index agents (household_id)
// WHERE revoked_at IS NULL, so it reads the household's live agents and not every agent it ever had
// (revoked ones are kept forever). Migrated over a table that already holds agents, on real
// PostgreSQL; the plan is that of the quota's own query text.
import pg from 'pg';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { ACTIVE_AGENT_COUNT_SQL } from '../data/quota-counts.js';
import { migrateAuthDatabase } from '../migrate.js';
import { createTestDatabase } from './auth-test-service.js';
import { seedChurningHousehold } from './churning-household.js';
import { INDEX_SCAN, indexesOf, migrateFirst, planWithoutSeqScans, rollBack } from './query-plans.js';

const MIGRATION = '0005_live-agents-index';
const INDEX = 'agents_live_by_household';
const REVOKED_AGENTS = 300; // registered and revoked over the past year: not live
const LIVE_AGENTS = 3;

let databaseUrl: string;
let client: pg.Client;
let householdId: string;
beforeAll(async () => {
  databaseUrl = await createTestDatabase('auth_live_agents_index');
  await migrateFirst(databaseUrl, 4);
  client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  ({ householdId } = await seedChurningHousehold(client, { revoked: REVOKED_AGENTS, live: LIVE_AGENTS, other: 50, otherRevoked: false, step: '1 day' }));
});
afterAll(async () => client?.end());

const indexesOfAgents = (): Promise<Map<string, string>> => indexesOf(client, 'agents');

it('when 0005 is applied over existing agents, then agents has a partial index on household_id over live agents, beside the one on (household_id, created_at)', async () => {
  expect(await migrateAuthDatabase(databaseUrl)).toContain(MIGRATION);
  const indexes = await indexesOfAgents();
  expect(indexes.get(INDEX)).toMatch(/\(household_id\) WHERE \(revoked_at IS NULL\)$/);
  // Still needed: the daily registration quota counts revoked agents, and listings show them.
  expect(indexes.get('agents_by_household_creation')).toMatch(/\(household_id, created_at\)$/);
});

it('when the quota counts a household with many revoked agents, then it scans the partial index by household, reading only the live agents', async () => {
  expect((await client.query<{ n: number }>(ACTIVE_AGENT_COUNT_SQL, [householdId])).rows[0]?.n).toBe(LIVE_AGENTS);
  // Sequential scans off, so the plan does not depend on the table's size or statistics: this
  // proves the index can serve the whole condition, not what the planner picks on a tiny table.
  const { nodes, scans } = await planWithoutSeqScans(client, ACTIVE_AGENT_COUNT_SQL, [householdId]);
  expect(scans.map((node) => [node['Node Type'], node['Index Name']])).toEqual([[expect.stringMatching(INDEX_SCAN), INDEX]]);
  const [scan] = scans;
  expect(scan?.['Index Cond']).toMatch(/household_id = /);
  // The index's predicate is the query's revoked_at IS NULL: no node filters on it over what the
  // scan read, so the scan's rows are the rows read, and the revoked agents are not among them.
  expect(nodes.filter((node) => node.Filter !== undefined || node['Rows Removed by Filter'] !== undefined)).toEqual([]);
  expect(scan?.['Actual Rows']).toBe(LIVE_AGENTS);
});

it('when 0005 is rolled back, then the partial index is gone and the one on (household_id, created_at) stays', async () => {
  await rollBack(databaseUrl, MIGRATION);
  const indexes = await indexesOfAgents();
  expect(indexes.has(INDEX)).toBe(false);
  expect(indexes.has('agents_by_household_creation')).toBe(true);
});
