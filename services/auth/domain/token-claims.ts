// The claims of the access tokens we issue (RFC 9068 JWT profile; docs/decisions/006-auth.md
// "Token claims"). Pure: the caller supplies the clock and the token id.
import type { JWTPayload } from 'jose';

/** `client_id` of tokens obtained by password login through our own apps; never a service client's id. */
export const FIRST_PARTY_CLIENT_ID = 'energymonitor-web';

/** Scope of a person's token: their account and the households they belong to. */
export const USER_SCOPE = 'account households';

export interface TokenContext {
  readonly issuer: string;
  readonly audience: string;
  readonly ttlS: number;
  readonly nowS: number;
  readonly jti: string;
}

export interface UserTokenSubject {
  /** users.subject */
  readonly subject: string;
  /** users.role === 'admin' gives ['admin']. */
  readonly roles: readonly string[];
  /** The refresh-token family (login session) this token belongs to. */
  readonly sessionId: string;
}

export interface ServiceTokenSubject {
  readonly clientId: string;
  readonly scopes: readonly string[];
}

function registered(subject: string, context: TokenContext): JWTPayload {
  return {
    iss: context.issuer,
    aud: context.audience,
    sub: subject,
    iat: context.nowS,
    exp: context.nowS + context.ttlS,
    jti: context.jti,
  };
}

/** A person's token: `client_id` is the first-party app, so `client_id` ≠ `sub` marks a user. */
export function buildUserClaims(user: UserTokenSubject, context: TokenContext): JWTPayload {
  return {
    ...registered(user.subject, context),
    client_id: FIRST_PARTY_CLIENT_ID,
    scope: USER_SCOPE,
    roles: [...user.roles],
    sid: user.sessionId,
  };
}

/** A client_credentials token: no person, the client is the subject (RFC 9068 §2.2): `client_id` = `sub`. */
export function buildServiceClaims(client: ServiceTokenSubject, context: TokenContext): JWTPayload {
  return {
    ...registered(client.clientId, context),
    client_id: client.clientId,
    scope: client.scopes.join(' '),
    roles: [],
  };
}

export function rolesOfUser(role: string): string[] {
  return role === 'admin' ? ['admin'] : [];
}
