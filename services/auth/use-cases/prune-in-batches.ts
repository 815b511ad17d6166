// The batch loop of the refresh-token, invitation and audit-log prunes. A table's backlog may be
// large (a prune that failed for days, a retention or session age lowered), and one DELETE of all
// of it holds every row's lock until it ends; past the 10 s query timeout it is cancelled having
// deleted nothing, and the next pass tries the same. Instead each statement deletes a bounded batch, in a
// transaction of its own, until one finds fewer rows than it may take, or the service stops.
import type { Counter } from 'prom-client';

/**
 * Rows one statement deletes at most, as for the audit log (prune-audit-log.ts). Measured at
 * 40-310 ms a batch of refresh tokens on the tests' PostgreSQL 15 (fsync off, 1,080,000 rows, five
 * indexes, warm cache; 1.2 s for one batch on a cold cache): inside the 10 s query timeout on a
 * slower disk too, and short enough that no one waits long on the rows it locks.
 */
export const PRUNE_BATCH_ROWS = 10_000;

export interface PruneOptions {
  /** Rows per statement; tests make it small. */
  readonly batchRows?: number;
  /** Checked between batches: a service stopping does not wait for a long backlog to go. */
  readonly signal?: AbortSignal;
}

/**
 * Calls `deleteBatch` with the batch size until it deletes fewer, or `signal` has fired, and
 * returns how many it deleted. Each batch is counted in `pruned` as it ends: a prune that fails
 * half-way has still deleted what it counted, and counted nothing it did not delete.
 */
export async function deleteInBatches(deleteBatch: (maxRows: number) => Promise<number>, pruned: Counter, options: PruneOptions = {}): Promise<number> {
  const batchRows = options.batchRows ?? PRUNE_BATCH_ROWS;
  let deleted = 0;
  let batch: number;
  do {
    batch = await deleteBatch(batchRows);
    deleted += batch;
    pruned.inc(batch);
  } while (batch === batchRows && options.signal?.aborted !== true);
  return deleted;
}
