// Who may do what in a household. A non-member gets 403 `forbidden` whether or not the household
// exists, so ids cannot be probed (the issue asks for 403 at every endpoint; one answer for both
// cases avoids an existence oracle). Owners may change the household, its members and agents;
// members may read. An admin (users.role = 'admin', an operator) acts as an owner of every
// household, and alone gets 404 for a household that does not exist.
import type { Queryable } from '../data/db.js';
import { findHousehold, roleIn, type MemberRole } from '../data/households-repository.js';
import { authError } from '../errors.js';
import type { AuthenticatedUser } from '../http/authenticate.js';

export type Need = 'member' | 'owner';

export interface HouseholdAccess {
  readonly householdId: string;
  /** The caller's own role; admins who are not members act as `owner`. */
  readonly role: MemberRole;
  readonly viaAdmin: boolean;
}

export async function requireHouseholdRole(db: Queryable, caller: AuthenticatedUser, householdId: string, need: Need): Promise<HouseholdAccess> {
  const role = await roleIn(db, householdId, caller.user.id);
  if (role === undefined && caller.isAdmin) {
    if ((await findHousehold(db, householdId)) === undefined) throw authError('not-found', `no household ${householdId}`);
    return { householdId, role: 'owner', viaAdmin: true };
  }
  if (role === undefined) throw authError('forbidden', 'you are not a member of this household');
  if (need === 'owner' && role !== 'owner' && !caller.isAdmin) throw authError('forbidden', 'only an owner of this household may do this');
  return { householdId, role, viaAdmin: false };
}
