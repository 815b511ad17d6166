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
