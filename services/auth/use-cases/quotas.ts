// Quotas: how much one account may make us store. Self-registration is open, so without them one
// hostile account could register thousands of agents in a household, each a new set of InfluxDB
// series under limits every household shares, or fill PostgreSQL with households and invitations.
// Checked in the transaction that inserts, under a lock (data/quota-counts.ts), so requests racing
// at the limit cannot overshoot it. A refusal is 409 `quota-exceeded` with `details: [{quota,
// limit}]`; its message is written for the person who meets it: the web app shows it as it is.
//
// They bind every API caller, admins included. Operator tools (cli.ts demo, npm start's
// provisioning, services/auth/demo-account.ts) write directly and are not bound: the operator
// chooses those numbers. Agents they made count toward the quota all the same.
import type { AuthContext } from '../auth-context.js';
import type { AuthConfig } from '../config.js';
import type { Queryable } from '../data/db.js';
import {
  lockedActiveAgentCount,
  lockedAgentRegistrationsInDay,
  lockedMemberAndOpenInvitationCount,
  lockedMemberCount,
  lockedOwnedHouseholdCount,
  lockedPendingInvitationCount,
} from '../data/quota-counts.js';
import { authError } from '../errors.js';

export type Quota =
  | 'households-per-user'
  | 'agents-per-household'
  | 'agent-registrations-per-household-per-day'
  | 'members-per-household'
  | 'pending-invitations-per-household';

interface QuotaRule {
  readonly limit: (quotas: AuthConfig['quotas']) => number;
  /** Locks the row the quota belongs to (a user, a household) and counts what it bounds. */
  readonly lockedCount: (tx: Queryable, id: string) => Promise<number>;
  readonly refusal: (limit: number) => string;
}

const RULES: Readonly<Record<Quota, QuotaRule>> = {
  'households-per-user': {
    limit: (q) => q.householdsPerUser,
    lockedCount: lockedOwnedHouseholdCount,
    refusal: (limit) => `You already own ${limit} households, the most one account may have.`,
  },
  'agents-per-household': {
    limit: (q) => q.agentsPerHousehold,
    lockedCount: lockedActiveAgentCount,
    refusal: (limit) => `This household already has ${limit} agents, the most it may have. Revoke an agent it no longer uses to add another.`,
  },
  'agent-registrations-per-household-per-day': {
    limit: (q) => q.agentRegistrationsPerHouseholdPerDay,
    lockedCount: lockedAgentRegistrationsInDay,
    refusal: (limit) =>
      `This household has registered ${limit} agents in the last 24 hours, revoked ones included, the most it may. Try again tomorrow, or rotate an existing agent's secret instead of registering a new one.`,
  },
  'members-per-household': {
    limit: (q) => q.membersPerHousehold,
    lockedCount: lockedMemberCount,
    refusal: (limit) => `This household already has ${limit} members, the most it may have. Your invitation stays valid: ask an owner to make room, then try again.`,
  },
  'pending-invitations-per-household': {
    limit: (q) => q.pendingInvitationsPerHousehold,
    lockedCount: lockedPendingInvitationCount,
    refusal: (limit) => `This household already has ${limit} open invitations, the most it may have. Withdraw one, or wait until one is accepted or expires.`,
  },
};

type QuotaContext = Pick<AuthContext, 'config' | 'metrics' | 'log'>;

function refuse(ctx: QuotaContext, quota: Quota, limit: number, id: string, message: string): never {
  ctx.metrics.quotaRefusals.inc({ quota });
  ctx.log.info({ quota, limit, id }, 'quota met: request refused');
  throw authError('quota-exceeded', message, {}, [{ quota, limit }]);
}

/**
 * Throws `quota-exceeded` when `quota` is met for `id` (the user for households-per-user, else the
 * household). Call it inside the inserting transaction, before the insert: it holds the lock until
 * that transaction ends.
 */
export async function requireWithinQuota(ctx: QuotaContext, tx: Queryable, quota: Quota, id: string): Promise<void> {
  const rule = RULES[quota];
  const limit = rule.limit(ctx.config.quotas);
  if ((await rule.lockedCount(tx, id)) < limit) return;
  refuse(ctx, quota, limit, id, rule.refusal(limit));
}

/**
 * The member quota at invitation time: members and open invitations together may not pass it, so
 * an owner does not hand out invitations that could only be refused on acceptance. Acceptance
 * checks the members again (the limit may have been lowered since). Same lock and transaction
 * rules as requireWithinQuota.
 */
export async function requireRoomForInvitee(ctx: QuotaContext, tx: Queryable, householdId: string): Promise<void> {
  const limit = ctx.config.quotas.membersPerHousehold;
  if ((await lockedMemberAndOpenInvitationCount(tx, householdId)) < limit) return;
  const message = `This household is full: its members and open invitations together make ${limit}, the most members it may have. Withdraw an open invitation or remove a member to invite someone else.`;
  refuse(ctx, 'members-per-household', limit, householdId, message);
}
