// Audit records older than EM_AUTH_AUDIT_RETENTION_DAYS are deleted by the periodic prune, in
// batches of bounded size along audit_log_by_time; recent ones stay, and 0 keeps every record. The
// prune is called directly with its `now`, on real PostgreSQL; records are aged by their `at`.
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { silentLogger } from '../../../lib/log.js';
import { AUDIT_PRUNE_BATCH_SQL } from '../data/audit-log.js';
import type { Db } from '../data/db.js';
import { pruneAuditLog } from '../use-cases/prune-audit-log.js';
import type { PruneOptions } from '../use-cases/prune-in-batches.js';
import { startTestService, testConfig, type TestService } from './auth-test-service.js';
import { executedPlan, INDEX_SCAN } from './query-plans.js';

const DAY_MS = 24 * 3600 * 1000;
const RETENTION_DAYS = 400;

let t: TestService;
beforeAll(async () => {
  t = await startTestService('auth_audit_retention');
});
afterAll(async () => t?.close());

/** Every audit record, so that each test starts from its own. */
const clear = async (): Promise<void> => void (await t.service.db.query('DELETE FROM audit_log'));

/** Records named by their event text, one per `at`. */
async function insertRecords(event: string, ats: readonly Date[]): Promise<void> {
  await t.service.db.query('INSERT INTO audit_log (event, at) SELECT $1, unnest($2::timestamptz[])', [event, ats]);
}
const left = async (): Promise<Record<string, number>> => {
  const rows = await t.service.db.query<{ event: string; n: number }>('SELECT event, count(*)::int AS n FROM audit_log GROUP BY event');
  return Object.fromEntries(rows.map((r) => [r.event, r.n]));
};
const pruned = async (): Promise<number> => (await t.service.metrics.auditRowsPruned.get()).values[0]?.value ?? 0;

/** The prune with `retentionDays`, on a db that records the rows each batch deleted. */
function pruneWith(retentionDays: number, now: Date, options: PruneOptions = {}): { run: () => Promise<number>; batches: number[] } {
  const batches: number[] = [];
  const db: Db = {
    ...t.service.db,
    async query(sql, params) {
      const rows = await t.service.db.query(sql, params);
      if (sql === AUDIT_PRUNE_BATCH_SQL) batches.push((rows[0] as { n: number }).n);
      return rows as never;
    },
  };
  const config = testConfig(t.databaseUrl, { EM_AUTH_AUDIT_RETENTION_DAYS: String(retentionDays) });
  return { run: () => pruneAuditLog({ db, config, metrics: t.service.metrics, log: silentLogger() }, now, options), batches };
}

describe('the audit retention', () => {
  it('when records are older than the retention, then the prune deletes exactly those and counts them; a second prune finds none', async () => {
    await clear();
    const now = new Date();
    const cutoff = now.getTime() - RETENTION_DAYS * DAY_MS;
    await insertRecords('old', [new Date(cutoff - 1000), new Date(cutoff - 3 * 365 * DAY_MS), new Date(cutoff - 1)]);
    await insertRecords('recent', [new Date(cutoff + 1000), new Date(cutoff), now]);
    const counted = await pruned();

    expect(await pruneWith(RETENTION_DAYS, now).run()).toBe(3);
    expect(await left()).toEqual({ recent: 3 });
    expect(await pruned()).toBe(counted + 3);
    expect(await pruneWith(RETENTION_DAYS, now).run()).toBe(0);
  });

  it('when many records are old, then they go in batches of at most the batch size, until one finds fewer', async () => {
    await clear();
    const now = new Date();
    const old = Array.from({ length: 25 }, (_, i) => new Date(now.getTime() - (RETENTION_DAYS + 1 + i) * DAY_MS));
    await insertRecords('old', old);
    await insertRecords('recent', [now]);
    const prune = pruneWith(RETENTION_DAYS, now, { batchRows: 10 });
    expect(await prune.run()).toBe(25);
    expect(prune.batches).toEqual([10, 10, 5]);
    expect(await left()).toEqual({ recent: 1 });
  });

  it('when the service stops during a prune, then no further batch starts; the next prune goes on where it ended', async () => {
    await clear();
    const now = new Date();
    await insertRecords('old', Array.from({ length: 25 }, () => new Date(now.getTime() - (RETENTION_DAYS + 1) * DAY_MS)));
    const stopping = new AbortController();
    stopping.abort();
    const first = pruneWith(RETENTION_DAYS, now, { batchRows: 10, signal: stopping.signal });
    expect(await first.run()).toBe(10);
    expect(first.batches).toEqual([10]);
    expect(await pruneWith(RETENTION_DAYS, now, { batchRows: 10 }).run()).toBe(15);
  });

  it('when the retention is 0, then no record is deleted however old, and no statement runs', async () => {
    await clear();
    const now = new Date();
    await insertRecords('ancient', [new Date(now.getTime() - 20 * 365 * DAY_MS), new Date(0)]);
    const prune = pruneWith(0, now);
    expect(await prune.run()).toBe(0);
    expect(prune.batches).toEqual([]);
    expect(await left()).toEqual({ ancient: 2 });
  });

  it('when the service’s own events are recorded, then a prune leaves them: they are recent', async () => {
    await clear();
    await t.newUser('audited'); // register and login-success
    expect(await pruneWith(RETENTION_DAYS, new Date()).run()).toBe(0);
    expect(await left()).toMatchObject({ register: 1, 'login-success': 1 });
  });
});

describe('a batch’s plan', () => {
  it('when a batch runs over a long history, then, as the planner chooses for that many rows, it reads audit_log_by_time from its start and only the rows it deletes', async () => {
    await clear();
    const now = Date.now();
    // Two years of records, one an hour (17,521), 400 days of them within the retention. A batch of
    // 1,000 is to them what a full batch is to 175,000 rows: enough that a join of the batch to
    // the table was planned as a hash join reading every row (PostgreSQL 15 did so from a
    // hundredth of the table on), so the plan is taken with the planner's own settings.
    await t.service.db.query(
      "INSERT INTO audit_log (event, at) SELECT 'hourly', to_timestamp($1::float8 / 1000) - i * interval '1 hour' FROM generate_series(0, 2 * 365 * 24) i",
      [now],
    );
    await t.service.db.query('ANALYZE audit_log');
    const batch = 1000;
    const client = new pg.Client({ connectionString: t.databaseUrl });
    await client.connect();
    try {
      // EXPLAIN ANALYZE runs the DELETE: rolled back, as looking at a plan should change nothing.
      await client.query('BEGIN');
      const { nodes, scans } = await executedPlan(client, AUDIT_PRUNE_BATCH_SQL, [new Date(now - RETENTION_DAYS * DAY_MS), batch]);
      await client.query('ROLLBACK');
      // Along audit_log_by_time up to the cutoff for exactly the batch, then those rows by primary key.
      expect(scans.map((node) => [node['Node Type'], node['Index Name']])).toEqual([
        [expect.stringMatching(INDEX_SCAN), 'audit_log_by_time'],
        [expect.stringMatching(INDEX_SCAN), 'audit_log_pkey'],
      ]);
      const [byTime, byKey] = scans;
      expect(byTime?.['Index Cond']).toMatch(/at < /);
      expect(byTime?.['Actual Rows']).toBe(batch);
      expect(byKey?.['Index Cond']).toMatch(/= ANY/);
      expect(byKey?.['Actual Rows']).toBe(batch);
      // Nothing reads the table whole, discards rows read, or joins.
      expect(nodes.filter((node) => /Seq Scan|Join|Nested Loop|Hash/.test(node['Node Type']))).toEqual([]);
      expect(nodes.filter((node) => node.Filter !== undefined || node['Rows Removed by Filter'] !== undefined)).toEqual([]);
      expect(nodes.filter((node) => (node['Actual Rows'] ?? 0) > batch)).toEqual([]);
    } finally {
      await client.end();
    }
  });
});
