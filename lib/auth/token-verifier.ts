// Verifies access tokens from one OIDC issuer (ours or Keycloak) against its remote JWKS, with an
// algorithm allow-list and iss/aud/exp/nbf/typ checks (RFC 8725 §3.1, §3.8, §3.9, §3.11; RFC 9068 §4).
import { createRemoteJWKSet, decodeProtectedHeader, errors, jwtVerify, type JWTPayload, type JWTVerifyGetKey, type ProtectedHeaderParameters } from 'jose';
import { TokenRejectedError, type AccessTokenVerifier, type Principal } from './principal.js';
import { checkAccessTokenType, DEFAULT_ACCESS_TOKEN_TYPES, toPrincipal, type AccessTokenTypes } from './token-claims.js';

export interface TokenVerifierOptions {
  readonly issuer: string;
  readonly audience: string;
  readonly jwksUrl: string;
  /** Asymmetric algorithms only: never `none`, never HS* (RFC 8725 §3.1, key confusion). */
  readonly algorithms?: readonly string[];
  readonly requiredTyp?: AccessTokenTypes;
  /** Minimum time between JWKS refetches caused by an unknown `kid`. */
  readonly jwksCooldownMs?: number;
  /** Keys are refetched at least this often even when every `kid` is known. */
  readonly jwksCacheMaxAgeMs?: number;
  readonly jwksTimeoutMs?: number;
}

export const DEFAULT_ALGORITHMS = ['EdDSA', 'ES256', 'RS256'] as const;
const FORBIDDEN_ALGORITHM = /^(none|HS\d+)$/i;

/**
 * Clock skew allowed on exp/nbf/iat, by every verifier of access tokens: this one (read, alerts,
 * broker, web) and the auth service's own (verifyAccessToken), so no token is good in one place
 * and expired in another.
 */
export const CLOCK_TOLERANCE_S = 30;

export interface AccessTokenCheck {
  readonly issuer: string;
  readonly audience: string;
  readonly algorithms: readonly string[];
  /** Default `exp` and `sub`. */
  readonly requiredClaims?: readonly string[];
  /** Default DEFAULT_ACCESS_TOKEN_TYPES. */
  readonly types?: AccessTokenTypes;
}

/**
 * The checks every access token gets, whoever holds the keys: header and `alg` allow-list, signature,
 * iss, aud, exp/nbf within CLOCK_TOLERANCE_S, required claims, and typ. Rejects with TokenRejectedError.
 */
export async function verifyAccessToken(token: string, getKey: JWTVerifyGetKey, check: AccessTokenCheck): Promise<JWTPayload> {
  const header = allowedHeader(token, check.algorithms);
  try {
    const { payload } = await jwtVerify(token, getKey, {
      issuer: check.issuer,
      audience: check.audience,
      algorithms: [...check.algorithms],
      clockTolerance: CLOCK_TOLERANCE_S,
      requiredClaims: [...(check.requiredClaims ?? ['exp', 'sub'])],
    });
    checkAccessTokenType(header, payload, check.types ?? DEFAULT_ACCESS_TOKEN_TYPES);
    return payload;
  } catch (err) {
    throw toRejection(err);
  }
}

export function createTokenVerifier(options: TokenVerifierOptions): AccessTokenVerifier {
  const algorithms = [...(options.algorithms ?? DEFAULT_ALGORITHMS)];
  const forbidden = algorithms.filter((a) => FORBIDDEN_ALGORITHM.test(a));
  if (forbidden.length > 0) throw new Error(`algorithms ${forbidden.join(', ')} may not be allowed (RFC 8725 §3.1)`);
  const getKey = guardKeyFetch(
    createRemoteJWKSet(new URL(options.jwksUrl), {
      cooldownDuration: options.jwksCooldownMs ?? 30_000,
      cacheMaxAge: options.jwksCacheMaxAgeMs ?? 10 * 60_000,
      timeoutDuration: options.jwksTimeoutMs ?? 5_000,
    }),
  );
  const check: AccessTokenCheck = { issuer: options.issuer, audience: options.audience, algorithms, types: options.requiredTyp ?? DEFAULT_ACCESS_TOKEN_TYPES };
  return {
    async verify(token: string): Promise<Principal> {
      return toPrincipal(await verifyAccessToken(token, getKey, check));
    },
  };
}

/** Refuses a token before any key lookup when its header is unreadable or its `alg` is not allowed. */
function allowedHeader(token: string, algorithms: readonly string[]): ProtectedHeaderParameters {
  let header: ProtectedHeaderParameters;
  try {
    header = decodeProtectedHeader(token);
  } catch {
    throw new TokenRejectedError('malformed', 'token is not a JWS compact serialisation');
  }
  if (token.split('.').length !== 3) throw new TokenRejectedError('malformed', 'token is not a JWS compact serialisation');
  if (typeof header.alg !== 'string' || !algorithms.includes(header.alg)) {
    throw new TokenRejectedError('algorithm-not-allowed', `token algorithm ${JSON.stringify(header.alg ?? null)} is not allowed`);
  }
  return header;
}

/** A JWKS that cannot be fetched is our problem, not the token's: say so distinctly. */
function guardKeyFetch(jwks: JWTVerifyGetKey): JWTVerifyGetKey {
  return async (header, token) => {
    try {
      return await jwks(header, token);
    } catch (err) {
      if (err instanceof errors.JWKSNoMatchingKey || err instanceof errors.JWKSMultipleMatchingKeys) throw err;
      throw new TokenRejectedError('jwks-unavailable', `cannot load the issuer's keys: ${String(err)}`);
    }
  };
}

function claimReason(claim: string): string {
  if (claim === 'iss') return 'wrong-issuer';
  if (claim === 'aud') return 'wrong-audience';
  if (claim === 'nbf' || claim === 'iat') return 'not-yet-valid';
  return 'malformed';
}

function toRejection(err: unknown): TokenRejectedError {
  if (err instanceof TokenRejectedError) return err;
  if (err instanceof errors.JWTExpired) return new TokenRejectedError('expired', 'token has expired');
  if (err instanceof errors.JWTClaimValidationFailed) {
    const reason = err.reason === 'missing' ? 'malformed' : claimReason(err.claim);
    return new TokenRejectedError(reason, `token claim ${err.claim} check failed: ${err.message}`);
  }
  if (err instanceof errors.JWSSignatureVerificationFailed) return new TokenRejectedError('bad-signature', 'token signature does not verify');
  if (err instanceof errors.JOSEAlgNotAllowed) return new TokenRejectedError('algorithm-not-allowed', err.message);
  if (err instanceof errors.JWKSNoMatchingKey) return new TokenRejectedError('unknown-key', 'no key of the issuer matches the token kid');
  if (err instanceof errors.JWKSMultipleMatchingKeys) return new TokenRejectedError('unknown-key', 'several keys match the token; it needs a kid');
  return new TokenRejectedError('malformed', `token is not valid: ${err instanceof Error ? err.message : String(err)}`);
}
