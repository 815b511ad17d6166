// Bearer authentication of our own endpoints (RFC 6750): the access token is verified with our own
// keys (domain/access-tokens.ts), then the person behind it is loaded. A token of a deleted user,
// a service token on a person's endpoint, and every verification failure answer 401/403 without
// saying more than necessary (the reason goes to the log).
import type { FastifyRequest } from 'fastify';
import type { JWTPayload } from 'jose';
import { parseBearer } from '../../../lib/auth/bearer.js';
import type { AuthContext } from '../auth-context.js';
import { findUserBySubject, type UserRecord } from '../data/users-repository.js';
import { authError } from '../errors.js';

export interface AuthenticatedUser {
  readonly user: UserRecord;
  /** The login session (refresh-token family) the token was issued for. */
  readonly sessionId: string | undefined;
  readonly isAdmin: boolean;
}

const CHALLENGE = 'Bearer realm="energymonitor"';

function unauthenticated(detail?: string): Error {
  // RFC 6750 §3: a 401 names the scheme; error="invalid_token" when a token was presented.
  const header = detail === undefined ? CHALLENGE : `${CHALLENGE}, error="invalid_token"`;
  return authError('unauthenticated', detail === undefined ? 'a bearer access token is required' : 'the access token is not valid', {
    'www-authenticate': header,
  });
}

async function verifiedPayload(ctx: AuthContext, request: FastifyRequest): Promise<JWTPayload> {
  const token = parseBearer(request.headers.authorization);
  if (token === undefined) throw unauthenticated();
  try {
    return await ctx.tokens.verify(token);
  } catch (err) {
    if (err instanceof Error && 'status' in err && err.status === 503) throw err; // database away while loading keys
    request.log.info({ reason: err instanceof Error ? err.message : String(err) }, 'access token refused');
    throw unauthenticated('invalid');
  }
}

/** The person calling; 401 without a valid token, 403 for a service (client_credentials) token. */
export async function authenticateUser(ctx: AuthContext, request: FastifyRequest): Promise<AuthenticatedUser> {
  const payload = await verifiedPayload(ctx, request);
  if (payload['client_id'] === payload.sub) throw authError('forbidden', 'this endpoint is for people, not service clients');
  const user = await findUserBySubject(ctx.db, String(payload.sub));
  if (user === undefined) throw unauthenticated('unknown subject');
  const sessionId = typeof payload['sid'] === 'string' ? payload['sid'] : undefined;
  return { user, sessionId, isAdmin: user.role === 'admin' };
}
