// Household use cases: create (the creator becomes owner), list, read, update.
import { DEFAULT_TARIFF, type Tariff } from '../../../lib/tariff/tariff.js';
import type { AuthContext } from '../auth-context.js';
import { audit } from '../data/audit-log.js';
import { allHouseholds, findHousehold, householdsOfUser, insertHousehold, updateHousehold, type HouseholdRecord, type MemberRole } from '../data/households-repository.js';
import { authError } from '../errors.js';
import type { AuthenticatedUser } from '../http/authenticate.js';
import { requireHouseholdRole } from './household-access.js';
import { requireWithinQuota } from './quotas.js';

export interface NewHousehold {
  readonly name: string;
  readonly timeZone?: string;
  readonly tariff?: Tariff;
}

export async function createHousehold(ctx: AuthContext, caller: AuthenticatedUser, input: NewHousehold, remoteAddress: string): Promise<HouseholdRecord & { role: MemberRole }> {
  const household = await ctx.db.transaction(async (tx) => {
    await requireWithinQuota(ctx, tx, 'households-per-user', caller.user.id);
    const created = await insertHousehold(tx, { name: input.name, timeZone: input.timeZone ?? 'UTC', tariff: input.tariff ?? DEFAULT_TARIFF }, caller.user.id);
    await audit(tx, { event: 'household-created', userId: caller.user.id, householdId: created.id, remoteAddress });
    return created;
  });
  return { ...household, role: 'owner' };
}

const ALL_HOUSEHOLDS_LIMIT = 1000;

/** The caller's households; with `all`, every household (admins only; they act as owners). */
export async function listHouseholds(ctx: AuthContext, caller: AuthenticatedUser, all = false): Promise<Array<HouseholdRecord & { role?: MemberRole }>> {
  if (!all) return householdsOfUser(ctx.db, caller.user.id);
  if (!caller.isAdmin) throw authError('forbidden', 'only operators (admin) may list every household');
  return allHouseholds(ctx.db, ALL_HOUSEHOLDS_LIMIT);
}

export async function getHousehold(ctx: AuthContext, caller: AuthenticatedUser, householdId: string): Promise<HouseholdRecord & { role: MemberRole }> {
  const access = await requireHouseholdRole(ctx.db, caller, householdId, 'member');
  const household = await findHousehold(ctx.db, householdId);
  if (household === undefined) throw authError('not-found', `no household ${householdId}`);
  return { ...household, role: access.role };
}

export async function changeHousehold(
  ctx: AuthContext,
  caller: AuthenticatedUser,
  householdId: string,
  fields: { name?: string; timeZone?: string; tariff?: Tariff },
  remoteAddress: string,
): Promise<HouseholdRecord & { role: MemberRole }> {
  const access = await requireHouseholdRole(ctx.db, caller, householdId, 'owner');
  const updated = await updateHousehold(ctx.db, householdId, fields);
  if (updated === undefined) throw authError('not-found', `no household ${householdId}`);
  await audit(ctx.db, { event: 'household-updated', userId: caller.user.id, householdId, remoteAddress, detail: { fields: Object.keys(fields), viaAdmin: access.viaAdmin } });
  return { ...updated, role: access.role };
}
