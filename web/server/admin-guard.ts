// Operator endpoints are for administrators only: the caller presents the session's access token
// as a bearer token (as the app does for /api/read), it must verify against the auth service's
// JWKS, and carry the `admin` role. 401 without a valid token, 403 for anyone else, 503 when the
// issuer's keys cannot be loaded (our problem, not the caller's).
import type { FastifyReply, FastifyRequest } from 'fastify';
import { parseBearer } from '../../lib/auth/bearer.js';
import { TokenRejectedError, type AccessTokenVerifier } from '../../lib/auth/principal.js';

export const OPERATOR_ROLE = 'admin';

export function requireAdmin(verifier: AccessTokenVerifier) {
  return async (request: FastifyRequest, reply: FastifyReply): Promise<void> => {
    const token = parseBearer(request.headers.authorization);
    if (token === undefined) {
      return void reply.status(401).header('www-authenticate', 'Bearer').send({ error: 'unauthorized', message: 'a bearer access token is required' });
    }
    try {
      const principal = await verifier.verify(token);
      if (principal.roles.includes(OPERATOR_ROLE)) return;
      return void reply.status(403).send({ error: 'forbidden', message: 'the operator pages are for administrators' });
    } catch (error) {
      if (!(error instanceof TokenRejectedError)) throw error;
      if (error.reason === 'jwks-unavailable') {
        request.log.warn({ err: error }, 'cannot verify tokens: issuer keys unavailable');
        return void reply.status(503).header('retry-after', '5').send({ error: 'upstream-unavailable', message: 'tokens cannot be checked right now; retry shortly' });
      }
      return void reply
        .status(401)
        .header('www-authenticate', `Bearer error="invalid_token"`)
        .send({ error: 'unauthorized', message: `access token refused: ${error.reason}` });
    }
  };
}
