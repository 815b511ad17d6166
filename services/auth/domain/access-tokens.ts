// Signs and verifies our access tokens. Verification of our own endpoints' bearer tokens follows
// RFC 8725 §3.1/§3.8/§3.9/§3.11 and RFC 9068 §4: algorithm allow-list (EdDSA only), iss, aud,
// exp and header typ `at+jwt`, against our own published keys.
import { createLocalJWKSet, jwtVerify, SignJWT, type JWTPayload } from 'jose';
import type { Db } from '../data/db.js';
import { loadKeySet, SIGNING_ALGORITHM, type KeySet } from './signing-keys.js';

export const ACCESS_TOKEN_TYP = 'at+jwt';
/** Keys are re-read this often, so a rotation by another replica or the CLI reaches every replica. */
const KEY_RELOAD_MS = 60_000;

export interface AccessTokens {
  sign(claims: JWTPayload): Promise<string>;
  /** The verified payload, or throws (any jose error): the caller answers 401. */
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
      const { payload } = await jwtVerify(token, jwks, {
        algorithms: [SIGNING_ALGORITHM],
        issuer: options.issuer,
        audience: options.audience,
        typ: ACCESS_TOKEN_TYP,
        requiredClaims: ['exp', 'iat', 'sub', 'jti'],
        clockTolerance: 5,
      });
      return payload;
    },
    async publicKeys() {
      return (await keys()).publicJwks;
    },
  };
}
