// Access + refresh token pair for a person (login and refresh answer with this).
import { randomUUID } from 'node:crypto';
import type { AuthContext } from '../auth-context.js';
import type { Queryable } from '../data/db.js';
import { issueRefreshToken, type IssuedRefreshToken, type RefreshLifetime } from '../data/refresh-tokens-repository.js';
import type { UserRecord } from '../data/users-repository.js';
import { buildUserClaims, rolesOfUser } from '../domain/token-claims.js';

/** RFC 6749 §5.1 field names, so OAuth2 client libraries understand the answer. */
export interface TokenPair {
  readonly access_token: string;
  readonly token_type: 'Bearer';
  readonly expires_in: number;
  readonly refresh_token: string;
  readonly refresh_token_expires_in: number;
  readonly scope: string;
}

export async function signUserAccessToken(ctx: AuthContext, user: Pick<UserRecord, 'subject' | 'role'>, sessionId: string): Promise<{ token: string; scope: string }> {
  const claims = buildUserClaims(
    { subject: user.subject, roles: rolesOfUser(user.role), sessionId },
    { issuer: ctx.config.issuer, audience: ctx.config.audience, ttlS: ctx.config.accessTokenTtlS, nowS: Math.floor(Date.now() / 1000), jti: randomUUID() },
  );
  ctx.metrics.tokensIssued.inc({ kind: 'user' });
  return { token: await ctx.tokens.sign(claims), scope: String(claims['scope']) };
}

export const refreshLifetime = (ctx: AuthContext): RefreshLifetime => ({ ttlS: ctx.config.refreshTokenTtlS, sessionMaxAgeS: ctx.config.sessionMaxAgeS });

/** Signs an access token for `familyId` and pairs it with `refresh` (already stored). */
export async function tokenPair(ctx: AuthContext, user: UserRecord, familyId: string, refresh: IssuedRefreshToken): Promise<TokenPair> {
  const access = await signUserAccessToken(ctx, user, familyId);
  return {
    access_token: access.token,
    token_type: 'Bearer',
    expires_in: ctx.config.accessTokenTtlS,
    refresh_token: refresh.token,
    // Less than the TTL near the session's absolute end; the web server's cookie expires with it.
    refresh_token_expires_in: refresh.expiresInS,
    scope: access.scope,
  };
}

/** A new login session: a new refresh-token family, its absolute lifetime counted from now. */
export async function startSession(ctx: AuthContext, db: Queryable, user: UserRecord, familyId: string): Promise<TokenPair> {
  const refresh = await issueRefreshToken(db, user.id, familyId, refreshLifetime(ctx));
  return tokenPair(ctx, user, familyId, refresh);
}
