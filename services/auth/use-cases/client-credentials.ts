// OAuth2 client_credentials grant (RFC 6749 §4.4) for our own services: a short-lived access token
// with the client as subject and no refresh token (§4.4.3).
import { randomUUID } from 'node:crypto';
import { isValidId } from '../../../proto/topics.js';
import type { AuthContext } from '../auth-context.js';
import { audit } from '../data/audit-log.js';
import { findServiceClient } from '../data/service-clients-repository.js';
import { sameHash, sha256 } from '../domain/secrets.js';
import { buildServiceClaims, FIRST_PARTY_CLIENT_ID } from '../domain/token-claims.js';
import { authError } from '../errors.js';

export interface ClientTokenRequest {
  readonly clientId: string;
  readonly clientSecret: string;
  /** Space-separated; absent means every scope the client holds. */
  readonly scope: string | undefined;
}

export interface ServiceTokenResponse {
  readonly access_token: string;
  readonly token_type: 'Bearer';
  readonly expires_in: number;
  readonly scope: string;
}

const DUMMY_HASH = sha256('energymonitor: no such client');

/** Reserved: user tokens carry it as client_id, so a service client of that name would confuse verifiers. */
export const isAllowedClientId = (clientId: string): boolean => isValidId(clientId) && clientId !== FIRST_PARTY_CLIENT_ID;

async function authenticateClient(ctx: AuthContext, request: ClientTokenRequest, remoteAddress: string): Promise<readonly string[]> {
  const client = isAllowedClientId(request.clientId) ? await findServiceClient(ctx.db, request.clientId) : undefined;
  // Compare against a dummy when the client is unknown, so timing does not reveal client ids.
  const matches = sameHash(sha256(request.clientSecret), client?.secretHash ?? DUMMY_HASH);
  if (client === undefined || !matches || client.revoked) {
    // As claimed; the audit writer cuts it (an id from a Basic header has no schema's bound).
    await audit(ctx.db, { event: 'service-client-auth-failure', remoteAddress, detail: { clientId: request.clientId } });
    throw authError('invalid_client', 'client authentication failed', { 'www-authenticate': 'Basic realm="energymonitor"' });
  }
  return client.scopes;
}

export async function issueServiceToken(ctx: AuthContext, request: ClientTokenRequest, remoteAddress: string): Promise<ServiceTokenResponse> {
  const granted = await authenticateClient(ctx, request, remoteAddress);
  const requested = request.scope === undefined ? [...granted] : request.scope.split(' ').filter((s) => s.length > 0);
  const refused = requested.filter((s) => !granted.includes(s));
  if (refused.length > 0) throw authError('invalid_scope', `scope not granted to this client: ${refused.join(' ')}`);
  const claims = buildServiceClaims(
    { clientId: request.clientId, scopes: requested },
    { issuer: ctx.config.issuer, audience: ctx.config.audience, ttlS: ctx.config.accessTokenTtlS, nowS: Math.floor(Date.now() / 1000), jti: randomUUID() },
  );
  const token = await ctx.tokens.sign(claims);
  ctx.metrics.tokensIssued.inc({ kind: 'service' });
  await audit(ctx.db, { event: 'service-token-issued', remoteAddress, detail: { clientId: request.clientId, scope: requested.join(' ') } });
  return { access_token: token, token_type: 'Bearer', expires_in: ctx.config.accessTokenTtlS, scope: requested.join(' ') };
}
