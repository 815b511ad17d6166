// The agent listing's pages (agentPageSql) are served by the indexes agents has already, so paging
// needs no migration of its own: a page of all or of revoked agents reads agents_by_household_creation
// (0004) from the cursor on, about a page of rows whatever the household's history; a page of live
// agents reads agents_live_by_household (0005), which holds only live ones. On real PostgreSQL,
// analysed, with sequential scans off (query-plans.ts); the plan is that of the listing's own text.
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { agentPageSql, type AgentListState } from '../data/agents-repository.js';
import { migrateAuthDatabase } from '../migrate.js';
import { createTestDatabase } from './auth-test-service.js';
import { seedChurningHousehold } from './churning-household.js';
import { INDEX_SCAN, planWithoutSeqScans, type PlanNode } from './query-plans.js';

const REVOKED_AGENTS = 2000; // registered and revoked, one an hour: the history a household piles up
const LIVE_AGENTS = 3;
const PAGE = 10;
/** Rows a page may read: the page, the row telling whether another follows, and incremental sort's first group (32 rows). */
const PAGE_READS_AT_MOST = 40;

let client: pg.Client;
let householdId: string;
beforeAll(async () => {
  const databaseUrl = await createTestDatabase('auth_agent_list_plans');
  await migrateAuthDatabase(databaseUrl);
  client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  ({ householdId } = await seedChurningHousehold(client, { revoked: REVOKED_AGENTS, live: LIVE_AGENTS, other: 500, otherRevoked: true, step: '1 hour' }));
  await client.query('ANALYZE agents');
});
afterAll(async () => client?.end());

/** Where the page after the `n`th agent of `state` (in listing order) starts, as a cursor names it. */
async function positionAfter(state: AgentListState, n: number): Promise<[string, string]> {
  const { rows } = await client.query<{ position: string; id: string }>(agentPageSql(state), [householdId, '-infinity', '', n]);
  const last = rows.at(-1);
  return [last?.position ?? '', last?.id ?? ''];
}

/** A page's plan: the indexes it scans, the rows the scans returned, and the rows filters threw away. */
async function pagePlan(state: AgentListState, from: [string, string]) {
  const { nodes, scans } = await planWithoutSeqScans(client, agentPageSql(state), [householdId, ...from, PAGE + 1]);
  const sum = (values: (number | undefined)[]): number => values.reduce<number>((total, v) => total + (v ?? 0), 0);
  return {
    scans: scans.map((node: PlanNode) => [node['Node Type'], node['Index Name']]),
    indexCond: scans[0]?.['Index Cond'],
    read: sum(scans.map((node) => node['Actual Rows'])) + sum(nodes.map((node) => node['Rows Removed by Filter'])),
  };
}

const FIRST: [string, string] = ['-infinity', ''];

describe.each(['all', 'revoked'] as const)('a page of %s agents', (state) => {
  it.each([
    ['the first page', () => Promise.resolve(FIRST)],
    ['a page from a cursor half-way through the history', () => positionAfter(state, REVOKED_AGENTS / 2)],
  ])('when %s is read, then it scans agents_by_household_creation from its place on, reading about a page, not the household’s history', async (_page, from) => {
    const plan = await pagePlan(state, await from());
    expect(plan.scans).toEqual([[expect.stringMatching(INDEX_SCAN), 'agents_by_household_creation']]);
    expect(plan.indexCond).toMatch(/household_id = .*created_at >= /);
    expect(plan.read).toBeGreaterThan(PAGE);
    expect(plan.read).toBeLessThanOrEqual(PAGE_READS_AT_MOST);
  });
});

describe('a page of live agents', () => {
  it('when it is read, from the start or from a cursor, then it scans agents_live_by_household and reads the live agents only', async () => {
    for (const from of [FIRST, await positionAfter('live', 1)]) {
      const plan = await pagePlan('live', from);
      expect(plan.scans).toEqual([[expect.stringMatching(INDEX_SCAN), 'agents_live_by_household']]);
      expect(plan.read).toBeLessThanOrEqual(2 * LIVE_AGENTS); // the scan's rows, and those before the cursor it filters out
    }
  });
});
