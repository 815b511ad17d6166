// Who may read a household: a verified bearer token (401 otherwise), and membership of that
// household or the `admin` role (403 otherwise — also for households that do not exist, so that
// non-members cannot probe which ids exist). Admins get 404 for unknown households.
import type { FastifyRequest } from 'fastify';
import { parseBearer } from '../../../lib/auth/bearer.js';
import { TokenRejectedError, type Principal } from '../../../lib/auth/principal.js';
import type { HouseholdSettings } from '../household-catalog.js';
import { CatalogUnavailableError } from '../household-catalog.js';
import { readError, translateError } from './errors.js';
import type { ReadContext } from './read-context.js';

const CHALLENGE = 'Bearer realm="energymonitor"';

async function principalOf(ctx: ReadContext, request: FastifyRequest): Promise<Principal> {
  const token = parseBearer(request.headers.authorization);
  if (token === undefined) throw readError('unauthenticated', 'a bearer access token is required', { 'www-authenticate': CHALLENGE });
  try {
    return await ctx.verifier.verify(token);
  } catch (err) {
    if (err instanceof TokenRejectedError && err.reason !== 'jwks-unavailable') {
      request.log.info({ reason: err.reason }, 'access token refused');
      throw readError('unauthenticated', 'the access token is not valid', { 'www-authenticate': `${CHALLENGE}, error="invalid_token"` });
    }
    throw translateError(err);
  }
}

/** Operators read every household without being a member of it. */
export const isAdmin = (principal: Principal): boolean => principal.roles.includes('admin');

async function mayRead(ctx: ReadContext, principal: Principal, householdId: string): Promise<boolean> {
  if (isAdmin(principal)) return true;
  try {
    return (await ctx.memberships.householdsOf(principal.subject)).includes(householdId);
  } catch (err) {
    throw translateError(err instanceof CatalogUnavailableError ? err : new CatalogUnavailableError(String(err)));
  }
}

/** The household's settings when the caller may read it; throws the HTTP answer otherwise. */
export async function authorizeHousehold(ctx: ReadContext, request: FastifyRequest, householdId: string): Promise<HouseholdSettings> {
  return settingsFor(ctx, await principalOf(ctx, request), householdId);
}

/**
 * For the live stream, which outlives its request: the household and the caller, whose token's
 * expiry ends the stream and whose membership is rechecked while it is open (live-route.ts). A token
 * past its `exp` is refused here even within the verifier's clock tolerance: its stream would end at
 * once, and the 401 makes the browser renew its token before it reconnects.
 */
export async function authorizeLiveViewer(
  ctx: ReadContext,
  request: FastifyRequest,
  householdId: string,
): Promise<{ readonly household: HouseholdSettings; readonly principal: Principal }> {
  const principal = await principalOf(ctx, request);
  if (principal.expiresAtS * 1000 <= Date.now()) {
    request.log.info({ reason: 'expired' }, 'access token refused for a live stream');
    throw readError('unauthenticated', 'the access token has expired', { 'www-authenticate': `${CHALLENGE}, error="invalid_token"` });
  }
  return { household: await settingsFor(ctx, principal, householdId), principal };
}

async function settingsFor(ctx: ReadContext, principal: Principal, householdId: string): Promise<HouseholdSettings> {
  // Membership and settings are independent lookups: both in flight at once saves a PostgreSQL round
  // trip on every request. The settings are only looked at (and their errors only reported) once
  // membership allows it, so a non-member learns nothing from them.
  const [allowed, household] = await Promise.allSettled([mayRead(ctx, principal, householdId), ctx.catalog.household(householdId)]);
  if (allowed.status === 'rejected') throw allowed.reason;
  if (!allowed.value) throw readError('forbidden', 'you are not a member of this household');
  if (household.status === 'rejected') throw translateError(household.reason);
  if (household.value === undefined) throw readError('household-not-found', `no household ${householdId}`);
  return household.value;
}

/**
 * The household id when the caller may read it, for routes that need nothing else of the household
 * (power history): one PostgreSQL lookup instead of two. A membership row implies the household
 * exists (foreign key); only an admin, who needs no membership, has the household looked up.
 */
export async function authorizeReader(ctx: ReadContext, request: FastifyRequest, householdId: string): Promise<string> {
  const principal = await principalOf(ctx, request);
  if (isAdmin(principal)) return (await settingsFor(ctx, principal, householdId)).id;
  if (!(await mayRead(ctx, principal, householdId))) throw readError('forbidden', 'you are not a member of this household');
  return householdId;
}
