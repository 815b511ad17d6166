// Remembers verified access tokens until they expire (and at most a minute), so a caller making
// many requests pays for the signature check once. On the read API that check is about 0.6 ms at
// p50 per request (jose's EdDSA verify goes through WebCrypto and the libuv thread pool), out of a
// 24-hour history request of about 15 ms.
//
// Safe because a token's verdict cannot change while it is unexpired: it is signed, and nothing
// here revokes a signed token early. One exception is a signing key withdrawn from the issuer's
// JWKS; the verifier itself keeps fetched keys for up to ten minutes (token-verifier.ts), so the
// extra minute adds nothing new. Refusals are not remembered: a refused token costs what it always
// did, and remembering garbage would let anyone fill the cache.
import { createHash } from 'node:crypto';
import type { AccessTokenVerifier, Principal } from './principal.js';
import { createTtlCache } from './ttl-cache.js';

export interface CachedVerifierOptions {
  /** Longest a verdict is kept, however late the token expires. Default 60 s. */
  readonly maxAgeMs?: number;
  /** Tokens remembered at once. Default 10,000. */
  readonly maxEntries?: number;
  readonly clock?: () => number;
}

export function createCachedVerifier(inner: AccessTokenVerifier, options: CachedVerifierOptions = {}): AccessTokenVerifier {
  const clock = options.clock ?? Date.now;
  const maxAgeMs = options.maxAgeMs ?? 60_000;
  const verified = createTtlCache<Principal>(clock, options.maxEntries ?? 10_000);
  // The key is a hash, so the cache holds no bearer credential and keys stay small however long tokens are.
  const keyOf = (token: string): string => createHash('sha256').update(token).digest('base64url');
  return {
    async verify(token) {
      const key = keyOf(token);
      const known = verified.get(key);
      if (known !== undefined) return known;
      const principal = await inner.verify(token);
      verified.set(key, principal, Math.min(maxAgeMs, principal.expiresAtS * 1000 - clock()));
      return principal;
    },
  };
}
