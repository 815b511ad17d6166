// Who may see and change a household's alerts: as in the read service, a verified bearer token
// (401 otherwise) and membership of the household or the `admin` role (403 otherwise — also for
// households that do not exist, so ids cannot be probed). Admins get 404 for unknown households.
// Changing rules or the webhook takes an owner, as every change to a household does in the auth
// service: a member could otherwise send the household's alerts, and its readings, to a server
// of their own, and replace the secret the owner's receiver checks.
import type { FastifyRequest } from 'fastify';
import { parseBearer } from '../../../lib/auth/bearer.js';
import { TokenRejectedError, type Principal } from '../../../lib/auth/principal.js';
import { guarded } from '../data/store-errors.js';
import type { AlertsContext } from './alerts-context.js';
import { alertsError, translateError } from './errors.js';

const CHALLENGE = 'Bearer realm="energymonitor"';

async function principalOf(ctx: AlertsContext, request: FastifyRequest): Promise<Principal> {
  const token = parseBearer(request.headers.authorization);
  if (token === undefined) throw alertsError('unauthenticated', 'a bearer access token is required', { 'www-authenticate': CHALLENGE });
  try {
    return await ctx.verifier.verify(token);
  } catch (err) {
    if (err instanceof TokenRejectedError && err.reason !== 'jwks-unavailable') {
      request.log.info({ reason: err.reason }, 'access token refused');
      throw alertsError('unauthenticated', 'the access token is not valid', { 'www-authenticate': `${CHALLENGE}, error="invalid_token"` });
    }
    throw translateError(err);
  }
}

export type HouseholdAccess = 'read' | 'change';

/** Returns when the caller may `access` the household's alerts; throws the HTTP answer otherwise. */
export async function authorizeHousehold(ctx: AlertsContext, request: FastifyRequest, householdId: string, access: HouseholdAccess = 'read'): Promise<void> {
  const principal = await principalOf(ctx, request);
  try {
    if (principal.roles.includes('admin')) {
      if (!(await guarded(() => ctx.householdExists(householdId)))) throw alertsError('household-not-found', `no household ${householdId}`);
      return;
    }
    const role = await guarded(() => ctx.roles.roleIn(principal.subject, householdId));
    if (role === undefined) throw alertsError('forbidden', 'you are not a member of this household');
    if (access === 'change' && role !== 'owner') throw alertsError('forbidden', "only the household's owners change its alert rules and webhook");
  } catch (err) {
    throw translateError(err);
  }
}
