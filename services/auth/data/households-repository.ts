// Households and memberships (tables of migration 0001).
import type { Tariff } from '../../../lib/tariff/tariff.js';
import type { Queryable } from './db.js';

export type MemberRole = 'owner' | 'member';

export interface HouseholdRecord {
  readonly id: string;
  readonly name: string;
  readonly timeZone: string;
  readonly tariff: Tariff;
  readonly createdAt: string;
}

interface HouseholdRow extends Record<string, unknown> {
  id: string;
  name: string;
  time_zone: string;
  tariff: Tariff;
  created_at: Date;
}

const toHousehold = (r: HouseholdRow): HouseholdRecord => ({
  id: r.id,
  name: r.name,
  timeZone: r.time_zone,
  tariff: r.tariff,
  createdAt: r.created_at.toISOString(),
});

export async function insertHousehold(db: Queryable, fields: { name: string; timeZone: string; tariff: Tariff }, ownerId: string): Promise<HouseholdRecord> {
  const rows = await db.query<HouseholdRow>(
    'INSERT INTO households (name, time_zone, tariff) VALUES ($1, $2, $3) RETURNING id, name, time_zone, tariff, created_at',
    [fields.name, fields.timeZone, fields.tariff],
  );
  const household = toHousehold(rows[0] as HouseholdRow);
  await addMember(db, household.id, ownerId, 'owner');
  return household;
}

export async function findHousehold(db: Queryable, id: string): Promise<HouseholdRecord | undefined> {
  const rows = await db.query<HouseholdRow>('SELECT id, name, time_zone, tariff, created_at FROM households WHERE id = $1', [id]);
  return rows[0] === undefined ? undefined : toHousehold(rows[0]);
}

export async function householdsOfUser(db: Queryable, userId: string): Promise<Array<HouseholdRecord & { role: MemberRole }>> {
  const rows = await db.query<HouseholdRow & { role: MemberRole }>(
    `SELECT h.id, h.name, h.time_zone, h.tariff, h.created_at, m.role FROM households h
       JOIN memberships m ON m.household_id = h.id WHERE m.user_id = $1 ORDER BY h.created_at, h.id`,
    [userId],
  );
  return rows.map((r) => ({ ...toHousehold(r), role: r.role }));
}

/** Every household (operators), oldest first, at most `limit`. */
export async function allHouseholds(db: Queryable, limit: number): Promise<HouseholdRecord[]> {
  const rows = await db.query<HouseholdRow>('SELECT id, name, time_zone, tariff, created_at FROM households ORDER BY created_at, id LIMIT $1', [limit]);
  return rows.map(toHousehold);
}

export async function updateHousehold(db: Queryable, id: string, fields: { name?: string; timeZone?: string; tariff?: Tariff }): Promise<HouseholdRecord | undefined> {
  const rows = await db.query<HouseholdRow>(
    `UPDATE households SET name = COALESCE($2, name), time_zone = COALESCE($3, time_zone), tariff = COALESCE($4, tariff)
      WHERE id = $1 RETURNING id, name, time_zone, tariff, created_at`,
    [id, fields.name ?? null, fields.timeZone ?? null, fields.tariff ?? null],
  );
  return rows[0] === undefined ? undefined : toHousehold(rows[0]);
}

export async function roleIn(db: Queryable, householdId: string, userId: string): Promise<MemberRole | undefined> {
  const rows = await db.query<{ role: MemberRole }>('SELECT role FROM memberships WHERE household_id = $1 AND user_id = $2', [householdId, userId]);
  return rows[0]?.role;
}

/** Inserts the membership; false when the user already was a member. */
export async function addMember(db: Queryable, householdId: string, userId: string, role: MemberRole): Promise<boolean> {
  const rows = await db.query(
    'INSERT INTO memberships (household_id, user_id, role) VALUES ($1, $2, $3) ON CONFLICT DO NOTHING RETURNING 1',
    [householdId, userId, role],
  );
  return rows.length > 0;
}

export interface MemberRecord {
  readonly userId: string;
  readonly email: string;
  readonly displayName: string;
  readonly role: MemberRole;
  readonly joinedAt: string;
}

export async function membersOf(db: Queryable, householdId: string): Promise<MemberRecord[]> {
  const rows = await db.query<{ user_id: string; email: string; display_name: string; role: MemberRole; created_at: Date }>(
    `SELECT m.user_id, u.email, u.display_name, m.role, m.created_at FROM memberships m JOIN users u ON u.id = m.user_id
      WHERE m.household_id = $1 ORDER BY m.created_at, u.email`,
    [householdId],
  );
  return rows.map((r) => ({ userId: r.user_id, email: r.email, displayName: r.display_name, role: r.role, joinedAt: r.created_at.toISOString() }));
}

export async function removeMember(db: Queryable, householdId: string, userId: string): Promise<boolean> {
  const rows = await db.query('DELETE FROM memberships WHERE household_id = $1 AND user_id = $2 RETURNING 1', [householdId, userId]);
  return rows.length > 0;
}

export async function ownerCount(db: Queryable, householdId: string): Promise<number> {
  const rows = await db.query<{ n: number }>("SELECT count(*)::int AS n FROM memberships WHERE household_id = $1 AND role = 'owner'", [householdId]);
  return rows[0]?.n ?? 0;
}
