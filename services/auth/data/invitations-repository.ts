// Household invitations: a 256-bit token (stored as SHA-256) bound to one email address.
import { newSecret, sha256 } from '../domain/secrets.js';
import type { Queryable } from './db.js';

export interface InvitationRecord {
  readonly id: string;
  readonly householdId: string;
  readonly email: string;
  readonly createdAt: string;
  readonly expiresAt: string;
}

interface InvitationRow extends Record<string, unknown> {
  id: string;
  household_id: string;
  email: string;
  email_normalized: string;
  created_at: Date;
  expires_at: Date;
}

const toInvitation = (r: InvitationRow): InvitationRecord => ({
  id: r.id,
  householdId: r.household_id,
  email: r.email,
  createdAt: r.created_at.toISOString(),
  expiresAt: r.expires_at.toISOString(),
});

export async function insertInvitation(
  db: Queryable,
  fields: { householdId: string; email: string; emailNormalized: string; invitedBy: string; ttlS: number },
): Promise<InvitationRecord & { token: string }> {
  const token = newSecret();
  const rows = await db.query<InvitationRow>(
    `INSERT INTO invitations (household_id, email, email_normalized, token_hash, invited_by, expires_at)
     VALUES ($1, $2, $3, $4, $5, now() + make_interval(secs => $6)) RETURNING *`,
    [fields.householdId, fields.email, fields.emailNormalized, sha256(token), fields.invitedBy, fields.ttlS],
  );
  return { ...toInvitation(rows[0] as InvitationRow), token };
}

/** Deletes the household's open invitations to an address (normalised); returns their ids. */
export async function deleteOpenInvitationsTo(db: Queryable, householdId: string, emailNormalized: string): Promise<string[]> {
  const rows = await db.query<{ id: string }>(
    'DELETE FROM invitations WHERE household_id = $1 AND email_normalized = $2 AND accepted_at IS NULL AND expires_at > now() RETURNING id',
    [householdId, emailNormalized],
  );
  return rows.map((row) => row.id);
}

export async function pendingInvitations(db: Queryable, householdId: string): Promise<InvitationRecord[]> {
  const rows = await db.query<InvitationRow>(
    'SELECT * FROM invitations WHERE household_id = $1 AND accepted_at IS NULL AND expires_at > now() ORDER BY created_at',
    [householdId],
  );
  return rows.map(toInvitation);
}

/** The open invitation of `token`, locked for acceptance; undefined when unknown, used or expired. */
export async function lockOpenInvitation(db: Queryable, token: string): Promise<(InvitationRecord & { emailNormalized: string }) | undefined> {
  const rows = await db.query<InvitationRow>(
    'SELECT * FROM invitations WHERE token_hash = $1 AND accepted_at IS NULL AND expires_at > now() FOR UPDATE',
    [sha256(token)],
  );
  return rows[0] === undefined ? undefined : { ...toInvitation(rows[0]), emailNormalized: rows[0].email_normalized };
}

export async function markAccepted(db: Queryable, invitationId: string, userId: string): Promise<void> {
  await db.query('UPDATE invitations SET accepted_at = now(), accepted_by = $2 WHERE id = $1', [invitationId, userId]);
}

export async function deleteInvitation(db: Queryable, householdId: string, invitationId: string): Promise<boolean> {
  const rows = await db.query('DELETE FROM invitations WHERE household_id = $1 AND id = $2 AND accepted_at IS NULL RETURNING 1', [householdId, invitationId]);
  return rows.length > 0;
}

/**
 * One batch of the prune (use-cases/prune-invitations.ts): invitations closed before $1, at most
 * $2, the longest closed first. An invitation closes when accepted or, never accepted, when it
 * expires: coalesce(accepted_at, expires_at), as acceptance is never later than expiry. That very
 * expression is indexed (invitations_by_closing, 0006), so the batch reads only its own rows, in
 * index order. Locked with SKIP LOCKED and deleted by = ANY of the array, as the refresh tokens'
 * batches are (data/refresh-tokens-repository.ts says why). Exported so the plan test explains the
 * real text.
 */
export const CLOSED_INVITATIONS_BATCH_SQL = `WITH gone AS (
    DELETE FROM invitations WHERE id = ANY (ARRAY(
      SELECT id FROM invitations WHERE coalesce(accepted_at, expires_at) < $1
       ORDER BY coalesce(accepted_at, expires_at) LIMIT $2 FOR UPDATE SKIP LOCKED))
    RETURNING 1
  )
  SELECT count(*)::int AS n FROM gone`;

/** Deletes at most `maxRows` of the invitations closed before `cutoff`; returns how many. */
export async function deleteInvitationsClosedBefore(db: Queryable, cutoff: Date, maxRows: number): Promise<number> {
  return (await db.query<{ n: number }>(CLOSED_INVITATIONS_BATCH_SQL, [cutoff, maxRows]))[0]?.n ?? 0;
}
