// Security events in the audit_log table (OWASP Logging Cheat Sheet: authentication successes and
// failures, session and credential changes, authorisation-relevant changes). Never secrets.
import type { Queryable } from './db.js';

export type AuditEvent =
  | 'register'
  | 'register-existing-email'
  | 'login-success'
  | 'login-failure'
  | 'login-throttled'
  | 'logout'
  | 'refresh-reuse-detected'
  | 'password-changed'
  | 'household-created'
  | 'household-updated'
  | 'member-invited'
  | 'member-added'
  | 'member-removed'
  | 'agent-registered'
  | 'agent-rotated'
  | 'agent-revoked'
  | 'service-token-issued'
  | 'service-client-auth-failure';

export interface AuditEntry {
  readonly event: AuditEvent;
  readonly userId?: string | null;
  readonly householdId?: string | null;
  readonly agentId?: string | null;
  readonly remoteAddress?: string | null;
  readonly detail?: Readonly<Record<string, unknown>>;
}

export async function audit(db: Queryable, entry: AuditEntry): Promise<void> {
  await db.query(
    'INSERT INTO audit_log (event, user_id, household_id, agent_id, remote_address, detail) VALUES ($1, $2, $3, $4, $5, $6)',
    [entry.event, entry.userId ?? null, entry.householdId ?? null, entry.agentId ?? null, entry.remoteAddress ?? null, entry.detail ?? {}],
  );
}

/**
 * One batch of the retention prune (use-cases/prune-audit-log.ts): the oldest rows before $1, at
 * most $2, in time order along audit_log_by_time, so each statement reads about what it deletes
 * and locks only those rows. SKIP LOCKED: replicas pruning at once take different rows instead of
 * waiting on each other. Deleted by = ANY of the array, not by a join: PostgreSQL 15 planned the
 * join as a hash join reading the whole table whenever a batch was a hundredth of the table or
 * more (seen over 5,000 to 100,000 audit rows, and over 1,080,000 refresh tokens; a backlog's
 * batches are 10,000 rows), where the array can only be looked up in the primary key, as in
 * data/refresh-tokens-repository.ts. Exported so the plan test explains the real text.
 */
export const AUDIT_PRUNE_BATCH_SQL = `WITH gone AS (
    DELETE FROM audit_log WHERE id = ANY (ARRAY(
      SELECT id FROM audit_log WHERE at < $1 ORDER BY at LIMIT $2 FOR UPDATE SKIP LOCKED))
    RETURNING 1
  )
  SELECT count(*)::int AS n FROM gone`;

/** Deletes at most `maxRows` of the oldest rows from before `cutoff`; returns how many. */
export async function deleteAuditRowsBefore(db: Queryable, cutoff: Date, maxRows: number): Promise<number> {
  return (await db.query<{ n: number }>(AUDIT_PRUNE_BATCH_SQL, [cutoff, maxRows]))[0]?.n ?? 0;
}
