// For the index migrations' tests (0004, 0005, 0006): migrate a test database to a given point, list a
// table's indexes, and run a query's real plan with sequential scans off, so that the plan shows
// whether an index can serve the query whatever the table's size or statistics, or with the
// planner's own settings, to see the plan it chooses for the rows there are.
import type pg from 'pg';
import { runner } from 'node-pg-migrate';
import { MIGRATIONS_DIR } from '../migrate.js';

export interface PlanNode {
  readonly 'Node Type': string;
  readonly 'Index Name'?: string;
  readonly 'Index Cond'?: string;
  readonly Filter?: string;
  readonly 'Rows Removed by Filter'?: number;
  readonly 'Actual Rows'?: number;
  readonly Plans?: readonly PlanNode[];
}

const quiet = { dir: MIGRATIONS_DIR, migrationsTable: 'pgmigrations', log: () => undefined } as const;

/** Applies the first `count` migrations only. */
export async function migrateFirst(databaseUrl: string, count: number): Promise<void> {
  await runner({ ...quiet, databaseUrl, direction: 'up', count });
}

/** Rolls back the migration named `file` (its Down section). */
export async function rollBack(databaseUrl: string, file: string): Promise<void> {
  await runner({ ...quiet, databaseUrl, direction: 'down', file });
}

/** The indexes of `table`, by name, with their definitions. */
export async function indexesOf(client: pg.Client, table: string): Promise<Map<string, string>> {
  const { rows } = await client.query<{ name: string; def: string }>('SELECT indexname AS name, indexdef AS def FROM pg_indexes WHERE tablename = $1', [table]);
  return new Map(rows.map((r) => [r.name, r.def]));
}

/** Every node of `sql`'s executed plan (EXPLAIN ANALYZE) with sequential scans off, and of them the index scans. */
export async function planWithoutSeqScans(client: pg.Client, sql: string, params: readonly unknown[]): Promise<{ nodes: PlanNode[]; scans: PlanNode[] }> {
  await client.query('SET enable_seqscan = off');
  try {
    return await executedPlan(client, sql, params);
  } finally {
    await client.query('RESET enable_seqscan');
  }
}

/**
 * Every node of `sql`'s executed plan (EXPLAIN ANALYZE) under the planner's own settings, and of
 * them the index scans: the plan production gets for the table's size and statistics, for a
 * query whose plan depends on them (a join may turn into a hash join over the whole table).
 */
export async function executedPlan(client: pg.Client, sql: string, params: readonly unknown[]): Promise<{ nodes: PlanNode[]; scans: PlanNode[] }> {
  const explained = await client.query<{ 'QUERY PLAN': [{ Plan: PlanNode }] }>(`EXPLAIN (ANALYZE, FORMAT JSON) ${sql}`, [...params]);
  const nodes = nodesOf(explained.rows[0]?.['QUERY PLAN'][0].Plan as PlanNode);
  return { nodes, scans: nodes.filter((node) => node['Index Name'] !== undefined) };
}

const nodesOf = (node: PlanNode): PlanNode[] => [node, ...(node.Plans ?? []).flatMap(nodesOf)];

/** Matches the node type of a scan that reads an index. */
export const INDEX_SCAN = /^(Index Scan|Index Only Scan|Bitmap Index Scan)$/;
