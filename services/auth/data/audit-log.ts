// Security events in the audit_log table (OWASP Logging Cheat Sheet: authentication successes and
// failures, session and credential changes, authorisation-relevant changes). Never secrets.
import { toStorableText } from '../../../lib/http/storable-text.js';
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

/** Longest text an audit detail keeps, in code points: more than any id or scope list we issue. */
export const AUDIT_DETAIL_MAX_CODE_POINTS = 256;

/**
 * `value` as jsonb takes it whatever a client sent: every string (keys too, at any depth) without
 * U+0000 or unpaired surrogates, which jsonb refuses ("unsupported Unicode escape sequence"), and
 * at most AUDIT_DETAIL_MAX_CODE_POINTS long. Failed attempts are audited with what the client
 * claimed (a client id from an Authorization header no schema bounded), and such a record must
 * never fail the insert and turn a 401 into a 500.
 */
export function storableDetail(value: unknown): unknown {
  if (typeof value === 'string') return toStorableText(value, AUDIT_DETAIL_MAX_CODE_POINTS);
  if (Array.isArray(value)) return value.map(storableDetail);
  // Plain objects only: a Date or anything else with toJSON goes to node-postgres as it is.
  if (value !== null && typeof value === 'object' && [Object.prototype, null].includes(Object.getPrototypeOf(value) as object | null)) {
    return Object.fromEntries(Object.entries(value).map(([key, v]) => [toStorableText(key, AUDIT_DETAIL_MAX_CODE_POINTS), storableDetail(v)]));
  }
  return value;
}

export async function audit(db: Queryable, entry: AuditEntry): Promise<void> {
  await db.query(
    'INSERT INTO audit_log (event, user_id, household_id, agent_id, remote_address, detail) VALUES ($1, $2, $3, $4, $5, $6)',
    [entry.event, entry.userId ?? null, entry.householdId ?? null, entry.agentId ?? null, entry.remoteAddress ?? null, storableDetail(entry.detail ?? {})],
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
