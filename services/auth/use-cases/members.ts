// Membership: owners invite by email; the invitee accepts while logged in with that email.
// Why invitations and not "add an existing user by email": a direct add would tell the owner
// whether an account exists for any address (enumeration), and would put people into households
// without their consent. The invitation token is returned once to the owner, who passes it on
// (we send no email yet); it works only for the invited address, once, within EM_AUTH_INVITATION_TTL_S.
import type { AuthContext } from '../auth-context.js';
import { audit } from '../data/audit-log.js';
import { addMember, membersOf, ownerCount, removeMember, roleIn, type MemberRecord } from '../data/households-repository.js';
import { deleteInvitation, deleteOpenInvitationsTo, insertInvitation, lockOpenInvitation, markAccepted, pendingInvitations, type InvitationRecord } from '../data/invitations-repository.js';
import { normaliseEmail } from '../domain/email-address.js';
import { authError } from '../errors.js';
import type { AuthenticatedUser } from '../http/authenticate.js';
import { requireHouseholdRole } from './household-access.js';
import { requireRoomForInvitee, requireWithinQuota } from './quotas.js';

export async function listMembers(ctx: AuthContext, caller: AuthenticatedUser, householdId: string): Promise<MemberRecord[]> {
  await requireHouseholdRole(ctx.db, caller, householdId, 'member');
  return membersOf(ctx.db, householdId);
}

export async function inviteMember(
  ctx: AuthContext,
  caller: AuthenticatedUser,
  householdId: string,
  email: string,
  remoteAddress: string,
): Promise<InvitationRecord & { token: string }> {
  await requireHouseholdRole(ctx.db, caller, householdId, 'owner');
  const emailNormalized = normaliseEmail(email);
  return ctx.db.transaction(async (tx) => {
    // Inviting an address again (the invitee lost the token, it was sent to the wrong place)
    // replaces its open invitation: one address holds one member's place, and only the newest
    // token works. Before the quotas are counted, so the one replaced does not count; undone with
    // the rest if they refuse.
    const replaced = await deleteOpenInvitationsTo(tx, householdId, emailNormalized);
    await requireWithinQuota(ctx, tx, 'pending-invitations-per-household', householdId);
    await requireRoomForInvitee(ctx, tx, householdId);
    const invitation = await insertInvitation(tx, {
      householdId,
      email: email.trim(),
      emailNormalized,
      invitedBy: caller.user.id,
      ttlS: ctx.config.invitationTtlS,
    });
    const detail = replaced.length === 0 ? { invitationId: invitation.id } : { invitationId: invitation.id, replaced };
    await audit(tx, { event: 'member-invited', userId: caller.user.id, householdId, remoteAddress, detail });
    return invitation;
  });
}

export async function listInvitations(ctx: AuthContext, caller: AuthenticatedUser, householdId: string): Promise<InvitationRecord[]> {
  await requireHouseholdRole(ctx.db, caller, householdId, 'owner');
  return pendingInvitations(ctx.db, householdId);
}

export async function withdrawInvitation(ctx: AuthContext, caller: AuthenticatedUser, householdId: string, invitationId: string): Promise<void> {
  await requireHouseholdRole(ctx.db, caller, householdId, 'owner');
  if (!(await deleteInvitation(ctx.db, householdId, invitationId))) throw authError('not-found', 'no open invitation with this id in this household');
}

export async function acceptInvitation(ctx: AuthContext, caller: AuthenticatedUser, token: string, remoteAddress: string): Promise<{ householdId: string; role: 'member' }> {
  return ctx.db.transaction(async (tx) => {
    const invitation = await lockOpenInvitation(tx, token);
    if (invitation === undefined || invitation.emailNormalized !== normaliseEmail(caller.user.email)) {
      throw authError('invitation-invalid', 'this invitation is unknown, expired, already used, or for another email address');
    }
    // Already a member is the better answer than a full household, so it is asked first.
    if ((await roleIn(tx, invitation.householdId, caller.user.id)) !== undefined) throw authError('already-member', 'you already belong to this household');
    await requireWithinQuota(ctx, tx, 'members-per-household', invitation.householdId);
    if (!(await addMember(tx, invitation.householdId, caller.user.id, 'member'))) throw authError('already-member', 'you already belong to this household');
    await markAccepted(tx, invitation.id, caller.user.id);
    await audit(tx, { event: 'member-added', userId: caller.user.id, householdId: invitation.householdId, remoteAddress, detail: { invitationId: invitation.id } });
    return { householdId: invitation.householdId, role: 'member' as const };
  });
}

/** Owners remove anyone; a member may remove only themself (leave). The last owner cannot go. */
export async function removeMemberOf(ctx: AuthContext, caller: AuthenticatedUser, householdId: string, userId: string, remoteAddress: string): Promise<void> {
  const leaving = userId === caller.user.id;
  const access = await requireHouseholdRole(ctx.db, caller, householdId, leaving ? 'member' : 'owner');
  await ctx.db.transaction(async (tx) => {
    await tx.query('SELECT 1 FROM households WHERE id = $1 FOR UPDATE', [householdId]); // one removal at a time per household
    const role = await roleIn(tx, householdId, userId);
    if (role === undefined) throw authError('not-found', 'no such member in this household');
    if (role === 'owner' && (await ownerCount(tx, householdId)) <= 1) throw authError('last-owner', 'the only owner cannot leave or be removed');
    await removeMember(tx, householdId, userId);
    await audit(tx, { event: 'member-removed', userId: caller.user.id, householdId, remoteAddress, detail: { removedUserId: userId, viaAdmin: access.viaAdmin } });
  });
}
