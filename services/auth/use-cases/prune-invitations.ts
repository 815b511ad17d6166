// Closed invitations are deleted some time after they close, or the table would only grow: every
// invitation ever made, expired or accepted, with its email address. Run by app.ts's periodic
// prune. The audit log's records of them (member-invited, member-added) are not pruned here: they
// are kept for EM_AUTH_AUDIT_RETENTION_DAYS (prune-audit-log.ts), as every audit record is.
import type { AuthContext } from '../auth-context.js';
import { deleteInvitationsClosedBefore } from '../data/invitations-repository.js';
import { deleteInBatches, type PruneOptions } from './prune-in-batches.js';

/**
 * Deletes invitations closed more than EM_AUTH_INVITATION_RETENTION_S before `now` and counts them,
 * in batches (prune-in-batches.ts). `now` is the caller's clock, not the database's: against a
 * retention of days, skew between the two does not matter, and tests pass the instant they mean.
 */
export async function pruneClosedInvitations(ctx: Pick<AuthContext, 'db' | 'config' | 'metrics' | 'log'>, now: Date, options: PruneOptions = {}): Promise<number> {
  const cutoff = new Date(now.getTime() - ctx.config.invitationRetentionS * 1000);
  const deleted = await deleteInBatches((maxRows) => deleteInvitationsClosedBefore(ctx.db, cutoff, maxRows), ctx.metrics.invitationsPruned, options);
  if (deleted > 0) ctx.log.info({ deleted, closedBefore: cutoff.toISOString() }, 'closed invitations pruned');
  return deleted;
}
