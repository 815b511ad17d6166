// What the quotas (use-cases/quotas.ts) count, each after locking the row the quota belongs to.
// Call them inside the transaction that inserts: the lock makes a second check of the same user or
// household wait until the first transaction ends, and READ COMMITTED gives the count after the
// lock a fresh snapshot, so it sees what the first one inserted. Two requests at the limit cannot
// both pass.
//
// FOR NO KEY UPDATE, not FOR UPDATE: it conflicts with itself (quota checks take turns) but not
// with the KEY SHARE lock that inserting a row referencing this one takes, so logins (refresh
// tokens reference users) and the broker's reads are not held up by a check.
import type { Queryable } from './db.js';

const countOf = async (db: Queryable, sql: string, id: string): Promise<number> => (await db.query<{ n: number }>(sql, [id]))[0]?.n ?? 0;

/** Households the user owns (every household's creator is its owner), the user's row locked. */
export async function lockedOwnedHouseholdCount(db: Queryable, userId: string): Promise<number> {
  await db.query('SELECT 1 FROM users WHERE id = $1 FOR NO KEY UPDATE', [userId]);
  return countOf(db, "SELECT count(*)::int AS n FROM memberships WHERE user_id = $1 AND role = 'owner'", userId);
}

async function lockHousehold(db: Queryable, householdId: string): Promise<void> {
  await db.query('SELECT 1 FROM households WHERE id = $1 FOR NO KEY UPDATE', [householdId]);
}

/** What lockedActiveAgentCount counts; the partial index agents_live_by_household (migration 0005) serves it. */
export const ACTIVE_AGENT_COUNT_SQL = 'SELECT count(*)::int AS n FROM agents WHERE household_id = $1 AND revoked_at IS NULL';

/** Agents not revoked (a revoked agent can no longer connect, so it adds no series). */
export async function lockedActiveAgentCount(db: Queryable, householdId: string): Promise<number> {
  await lockHousehold(db, householdId);
  return countOf(db, ACTIVE_AGENT_COUNT_SQL, householdId);
}

/** What lockedAgentRegistrationsInDay counts; index agents_by_household_creation (migration 0004) serves it. */
export const AGENT_REGISTRATIONS_IN_DAY_SQL = "SELECT count(*)::int AS n FROM agents WHERE household_id = $1 AND created_at > now() - interval '24 hours'";

/**
 * Agents registered in the last 24 hours by the database's clock, revoked ones included: each was a
 * new set of InfluxDB series, which revoking does not remove. Operator tools' agents count too.
 */
export async function lockedAgentRegistrationsInDay(db: Queryable, householdId: string): Promise<number> {
  await lockHousehold(db, householdId);
  return countOf(db, AGENT_REGISTRATIONS_IN_DAY_SQL, householdId);
}

/** Members, owners included. */
export async function lockedMemberCount(db: Queryable, householdId: string): Promise<number> {
  await lockHousehold(db, householdId);
  return countOf(db, 'SELECT count(*)::int AS n FROM memberships WHERE household_id = $1', householdId);
}

/** Members and open invitations together: each open invitation holds a member's place. */
export async function lockedMemberAndOpenInvitationCount(db: Queryable, householdId: string): Promise<number> {
  await lockHousehold(db, householdId);
  return countOf(
    db,
    `SELECT ((SELECT count(*) FROM memberships WHERE household_id = $1)
           + (SELECT count(*) FROM invitations WHERE household_id = $1 AND accepted_at IS NULL AND expires_at > now()))::int AS n`,
    householdId,
  );
}

/** Invitations neither accepted nor expired (withdrawn ones are deleted). */
export async function lockedPendingInvitationCount(db: Queryable, householdId: string): Promise<number> {
  await lockHousehold(db, householdId);
  return countOf(db, 'SELECT count(*)::int AS n FROM invitations WHERE household_id = $1 AND accepted_at IS NULL AND expires_at > now()', householdId);
}
