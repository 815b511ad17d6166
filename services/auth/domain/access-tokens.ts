// Signs and verifies our access tokens. Verification of our own endpoints' bearer tokens is the
// shared one every other service uses (lib/auth/token-verifier.ts verifyAccessToken: RFC 8725
// §3.1/§3.8/§3.9/§3.11, RFC 9068 §4; the same clock tolerance and typ check), with EdDSA only,
// against our own keys read from the database rather than fetched from our JWKS endpoint.
import { createLocalJWKSet, SignJWT, type JWTPayload } from 'jose';
import { verifyAccessToken } from '../../../lib/auth/token-verifier.js';
import type { Db } from '../data/db.js';
import { loadKeySet, SIGNING_ALGORITHM, type KeySet } from './signing-keys.js';

export const ACCESS_TOKEN_TYP = 'at+jwt';
/** Keys are re-read this often, so a rotation by another replica or the CLI reaches every replica. */
const KEY_RELOAD_MS = 60_000;

export interface AccessTokens {
  sign(claims: JWTPayload): Promise<string>;
  /** The verified payload; throws TokenRejectedError (the caller answers 401), or 503 when the keys cannot be read. */
  verify(token: string): Promise<JWTPayload>;
  /** The public keys for GET /.well-known/jwks.json. */
  publicKeys(): Promise<KeySet['publicJwks']>;
}

export interface AccessTokenOptions {
  readonly issuer: string;
  readonly audience: string;
}

export function createAccessTokens(db: Db, options: AccessTokenOptions): AccessTokens {
  let cached: { keys: KeySet; loadedAt: number } | undefined;
  const keys = async (): Promise<KeySet> => {
    if (cached === undefined || Date.now() - cached.loadedAt > KEY_RELOAD_MS) {
      cached = { keys: await loadKeySet(db), loadedAt: Date.now() };
    }
    return cached.keys;
  };
  return {
    async sign(claims) {
      const { signingKey, signingKid } = await keys();
      return new SignJWT(claims).setProtectedHeader({ alg: SIGNING_ALGORITHM, typ: ACCESS_TOKEN_TYP, kid: signingKid }).sign(signingKey);
    },
    async verify(token) {
      const jwks = createLocalJWKSet({ keys: [...(await keys()).publicJwks] });
      return verifyAccessToken(token, jwks, {
        issuer: options.issuer,
        audience: options.audience,
        algorithms: [SIGNING_ALGORITHM],
        requiredClaims: ['exp', 'iat', 'sub', 'jti'],
      });
    },
    async publicKeys() {
      return (await keys()).publicJwks;
    },
  };
}
