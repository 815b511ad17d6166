// Maps a verified JWT to a Principal, and decides whether it is an access token at all.
// Two issuers are supported: ours (RFC 9068 profile) and Keycloak (docs/keycloak.md).
import type { JWTPayload, ProtectedHeaderParameters } from 'jose';
import { TokenRejectedError, type Principal } from './principal.js';

/** Which token types count as access tokens: the header `typ` (RFC 9068 §2.1) or the `typ` claim (Keycloak). */
export interface AccessTokenTypes {
  /** Accepted header `typ` values, compared case-insensitively without `application/` (RFC 9068 §4). */
  readonly header: readonly string[];
  /** Accepted `typ` claim values (Keycloak: `Bearer`; its id tokens say `ID`, refresh tokens `Refresh`). */
  readonly claim: readonly string[];
}

export const DEFAULT_ACCESS_TOKEN_TYPES: AccessTokenTypes = { header: ['at+jwt'], claim: ['Bearer'] };

const normaliseMediaType = (typ: string): string => typ.toLowerCase().replace(/^application\//, '');

/**
 * RFC 8725 §3.11 / RFC 9068 §4: only a token explicitly typed as an access token is accepted, so an
 * id token or refresh token signed by the same issuer cannot be replayed as one. A token whose
 * `typ` claim names another type (Keycloak `ID`, `Refresh`) is refused even with a good header.
 */
export function checkAccessTokenType(header: ProtectedHeaderParameters, payload: JWTPayload, types: AccessTokenTypes): void {
  const claimTyp = typeof payload['typ'] === 'string' ? payload['typ'] : undefined;
  if (claimTyp !== undefined && !types.claim.includes(claimTyp)) {
    throw new TokenRejectedError('wrong-type', `token typ claim ${JSON.stringify(claimTyp)} is not an access token`);
  }
  const headerTyp = header.typ === undefined ? undefined : normaliseMediaType(header.typ);
  if (headerTyp !== undefined && types.header.map(normaliseMediaType).includes(headerTyp)) return;
  if (claimTyp !== undefined) return;
  throw new TokenRejectedError('wrong-type', `token type ${JSON.stringify(header.typ ?? null)} is not an access token`);
}

function stringList(value: unknown): string[] {
  return Array.isArray(value) ? value.filter((v): v is string => typeof v === 'string') : [];
}

/** `roles` (our issuer) or Keycloak's `realm_access.roles`. */
function rolesOf(payload: JWTPayload): string[] {
  const own = stringList(payload['roles']);
  const realmAccess = payload['realm_access'];
  const realm = typeof realmAccess === 'object' && realmAccess !== null ? stringList((realmAccess as Record<string, unknown>)['roles']) : [];
  return [...new Set([...own, ...realm])];
}

/**
 * A token with no person behind it (OAuth2 client_credentials):
 * - our issuer sets `client_id` equal to `sub` (the client is the subject, RFC 9068 §2.2);
 * - Keycloak names the service-account user `service-account-{clientId}` in `preferred_username`.
 * A user's token from Keycloak also has `azp`/`client_id` (the web app), so those alone mean nothing.
 */
function kindOf(payload: JWTPayload, subject: string): Principal['kind'] {
  if (payload['client_id'] === subject) return 'service';
  const username = payload['preferred_username'];
  if (typeof username === 'string' && username.startsWith('service-account-')) return 'service';
  return 'user';
}

export function toPrincipal(payload: JWTPayload): Principal {
  const subject = payload.sub;
  if (typeof subject !== 'string' || subject.length === 0) throw new TokenRejectedError('malformed', 'token has no sub');
  if (typeof payload.exp !== 'number') throw new TokenRejectedError('malformed', 'token has no exp');
  const scope = payload['scope'];
  return {
    subject,
    kind: kindOf(payload, subject),
    roles: rolesOf(payload),
    scopes: typeof scope === 'string' ? scope.split(' ').filter((s) => s.length > 0) : [],
    expiresAtS: payload.exp,
  };
}
