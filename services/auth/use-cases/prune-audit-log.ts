// Audit records older than EM_AUTH_AUDIT_RETENTION_DAYS are deleted by app.ts's periodic prune;
// 0 keeps them forever. Every login, refresh reuse, registration and agent change adds a row, so
// without a retention the table only grew. The first pass after the retention is set or lowered
// may find years of rows: it deletes them in batches, each its own statement and transaction, so
// that no statement holds its locks (or the 10 s query timeout) for long; the batches go on until
// one finds fewer rows than it may take, or the service stops.
import type { AuthContext } from '../auth-context.js';
import { deleteAuditRowsBefore } from '../data/audit-log.js';

const DAY_MS = 24 * 3600 * 1000;

/**
 * Rows one statement deletes at most. Measured at 16-26 ms a statement on the tests' PostgreSQL 15
 * (fsync off, warm cache, 300,000 rows of backlog): far inside the 10 s query timeout on a slower
 * disk too, and short enough that no one waits long on the rows it locks.
 */
export const AUDIT_PRUNE_BATCH_ROWS = 10_000;

export interface AuditPruneOptions {
  /** Rows per statement; tests make it small. */
  readonly batchRows?: number;
  /** Checked between batches: a service stopping does not wait for a long backlog to go. */
  readonly signal?: AbortSignal;
}

/**
 * Deletes audit rows older than the retention before `now` and counts them. `now` is the caller's
 * clock, not the database's: against a retention of days, skew between the two does not matter.
 */
export async function pruneAuditLog(ctx: Pick<AuthContext, 'db' | 'config' | 'metrics' | 'log'>, now: Date, options: AuditPruneOptions = {}): Promise<number> {
  if (ctx.config.auditRetentionDays === 0) return 0;
  const batchRows = options.batchRows ?? AUDIT_PRUNE_BATCH_ROWS;
  const cutoff = new Date(now.getTime() - ctx.config.auditRetentionDays * DAY_MS);
  let deleted = 0;
  let batch: number;
  do {
    batch = await deleteAuditRowsBefore(ctx.db, cutoff, batchRows);
    deleted += batch;
    // Counted per batch: a pass that fails half-way has still deleted what it counted.
    ctx.metrics.auditRowsPruned.inc(batch);
  } while (batch === batchRows && options.signal?.aborted !== true);
  if (deleted > 0) ctx.log.info({ deleted, before: cutoff.toISOString() }, 'audit records past their retention pruned');
  return deleted;
}
