// Migration 0006: the prunes of refresh tokens and invitations read only the rows they delete,
// along an index each, however many rows stay: refresh_tokens_by_expiry (0002) for expired tokens,
// refresh_tokens_by_session_start for tokens of sessions past their maximum age, and
// invitations_by_closing for closed invitations. Migrated over tables that already hold rows, on
// real PostgreSQL; the plans are those of the prunes' own batch texts.
import pg from 'pg';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { CLOSED_INVITATIONS_BATCH_SQL } from '../data/invitations-repository.js';
import { EXPIRED_REFRESH_TOKENS_BATCH_SQL, SESSION_OVER_REFRESH_TOKENS_BATCH_SQL } from '../data/refresh-tokens-repository.js';
import { migrateAuthDatabase } from '../migrate.js';
import { createTestDatabase } from './auth-test-service.js';
import { INDEX_SCAN, indexesOf, migrateFirst, planWithoutSeqScans, rollBack, type PlanNode } from './query-plans.js';

const MIGRATION = '0006_prune-indexes';
const STAYING = 5000; // live tokens, open and recently closed invitations: rows a prune must not read
const OVER = 20; // of each kind the prunes delete
const BATCH = 100; // larger than what is over: one batch takes it all
const HOUR_MS = 3600_000;
const DAY_S = 24 * 3600;
const SESSION_MAX_AGE_S = 90 * DAY_S;

let databaseUrl: string;
let client: pg.Client;
const now = Date.now();
const tokenCutoff = new Date(now - HOUR_MS); // the grace
const invitationCutoff = new Date(now - 30 * DAY_S * 1000); // the retention

beforeAll(async () => {
  databaseUrl = await createTestDatabase('auth_prune_indexes');
  await migrateFirst(databaseUrl, 5);
  client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  const user = await client.query<{ id: string }>("INSERT INTO users (subject, email, email_normalized) VALUES ('u', 'u@example.test', 'u@example.test') RETURNING id");
  // Tokens: `session` and `expires` are offsets from now, in seconds.
  const tokens = `INSERT INTO refresh_tokens (token_hash, family_id, user_id, session_started_at, expires_at)
    SELECT sha256(($2 || i)::bytea), gen_random_uuid(), $1, now() + make_interval(secs => $3), now() + make_interval(secs => $4)
      FROM generate_series(1, $5::int) i`;
  const userId = user.rows[0]?.id;
  await client.query(tokens, [userId, 'live-', -DAY_S, 29 * DAY_S, STAYING]);
  await client.query(tokens, [userId, 'expired-', -40 * DAY_S, -2 * DAY_S, OVER]);
  // Past the maximum age but not expired: issued under a longer maximum age than today's.
  await client.query(tokens, [userId, 'session-over-', -(SESSION_MAX_AGE_S + DAY_S), 10 * DAY_S, OVER]);

  const household = await client.query<{ id: string }>("INSERT INTO households (name) VALUES ('Home') RETURNING id");
  const invitations = `INSERT INTO invitations (household_id, email, email_normalized, token_hash, expires_at, accepted_at)
    SELECT $1, $2 || i, $2 || i, sha256(($2 || i)::bytea), now() + make_interval(secs => $3), now() + make_interval(secs => $4)
      FROM generate_series(1, $5::int) i`;
  const householdId = household.rows[0]?.id;
  await client.query(invitations, [householdId, 'open-', 7 * DAY_S, null, STAYING / 2]);
  await client.query(invitations, [householdId, 'accepted-lately-', 7 * DAY_S, -DAY_S, STAYING / 2]);
  await client.query(invitations, [householdId, 'expired-long-ago-', -40 * DAY_S, null, OVER]);
  // Accepted long ago, its expiry after the cutoff: closed by its acceptance.
  await client.query(invitations, [householdId, 'accepted-long-ago-', 2 * DAY_S, -40 * DAY_S, OVER]);
});
afterAll(async () => client?.end());

/** The executed plan of a batch, rolled back: EXPLAIN ANALYZE runs the DELETE, and looking should change nothing. */
async function batchPlan(sql: string, params: readonly unknown[]): Promise<{ nodes: PlanNode[]; scans: PlanNode[] }> {
  await client.query('BEGIN');
  try {
    return await planWithoutSeqScans(client, sql, params);
  } finally {
    await client.query('ROLLBACK');
  }
}

/**
 * A batch that reads only what it deletes: one scan along `index` bounded by `cond`, finding the
 * `rows` over, then those rows by primary key; no filter discards rows read, no join, and no node
 * handles more rows than that.
 */
function expectOnlyTheRowsOver(plan: { nodes: PlanNode[]; scans: PlanNode[] }, index: string, cond: RegExp, primaryKey: string, rows: number): void {
  expect(plan.scans.map((node) => [node['Node Type'], node['Index Name']])).toEqual([
    [expect.stringMatching(INDEX_SCAN), index],
    [expect.stringMatching(INDEX_SCAN), primaryKey],
  ]);
  const [along, byKey] = plan.scans;
  expect(along?.['Index Cond']).toMatch(cond);
  expect(along?.['Actual Rows']).toBe(rows);
  expect(byKey?.['Index Cond']).toMatch(/= ANY/);
  expect(byKey?.['Actual Rows']).toBe(rows);
  expect(plan.nodes.filter((node) => node.Filter !== undefined || node['Rows Removed by Filter'] !== undefined)).toEqual([]);
  expect(plan.nodes.filter((node) => /Join|Nested Loop|Hash/.test(node['Node Type']))).toEqual([]);
  expect(plan.nodes.filter((node) => (node['Actual Rows'] ?? 0) > rows)).toEqual([]);
}

it('when 0006 is applied over existing rows, then refresh_tokens has an index on session_started_at and invitations one on their closing time', async () => {
  expect(await migrateAuthDatabase(databaseUrl)).toContain(MIGRATION);
  expect((await indexesOf(client, 'refresh_tokens')).get('refresh_tokens_by_session_start')).toMatch(/\(session_started_at\)$/);
  expect((await indexesOf(client, 'invitations')).get('invitations_by_closing')).toMatch(/\(COALESCE\(accepted_at, expires_at\)\)$/);
  await client.query('ANALYZE refresh_tokens; ANALYZE invitations');
});

it('when the expired tokens are pruned among many live ones, then the batch reads refresh_tokens_by_expiry up to the cutoff and only those tokens', async () => {
  const plan = await batchPlan(EXPIRED_REFRESH_TOKENS_BATCH_SQL, [tokenCutoff, BATCH]);
  expectOnlyTheRowsOver(plan, 'refresh_tokens_by_expiry', /expires_at < /, 'refresh_tokens_pkey', OVER);
});

it('when the tokens of sessions past their maximum age are pruned among many live ones, then the batch reads refresh_tokens_by_session_start and only those tokens', async () => {
  const plan = await batchPlan(SESSION_OVER_REFRESH_TOKENS_BATCH_SQL, [tokenCutoff, SESSION_MAX_AGE_S, BATCH]);
  expectOnlyTheRowsOver(plan, 'refresh_tokens_by_session_start', /session_started_at < /, 'refresh_tokens_pkey', OVER);
});

it('when closed invitations are pruned among many open and recently closed ones, then the batch reads invitations_by_closing and only those invitations', async () => {
  const plan = await batchPlan(CLOSED_INVITATIONS_BATCH_SQL, [invitationCutoff, BATCH]);
  expectOnlyTheRowsOver(plan, 'invitations_by_closing', /COALESCE\(accepted_at, expires_at\) < /, 'invitations_pkey', 2 * OVER);
});

it('when a batch is smaller than what is over, then it reads no more than the batch', async () => {
  const plan = await batchPlan(CLOSED_INVITATIONS_BATCH_SQL, [invitationCutoff, 7]);
  expectOnlyTheRowsOver(plan, 'invitations_by_closing', /COALESCE\(accepted_at, expires_at\) < /, 'invitations_pkey', 7);
});

it('when 0006 is rolled back, then both indexes are gone and refresh_tokens_by_expiry stays; migrating again applies it again', async () => {
  await rollBack(databaseUrl, MIGRATION);
  const tokenIndexes = await indexesOf(client, 'refresh_tokens');
  expect(tokenIndexes.has('refresh_tokens_by_session_start')).toBe(false);
  expect(tokenIndexes.has('refresh_tokens_by_expiry')).toBe(true);
  expect((await indexesOf(client, 'invitations')).has('invitations_by_closing')).toBe(false);
  expect(await migrateAuthDatabase(databaseUrl)).toEqual([MIGRATION]);
  expect((await indexesOf(client, 'refresh_tokens')).has('refresh_tokens_by_session_start')).toBe(true);
});
