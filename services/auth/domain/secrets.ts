// Random secrets and their stored form. Refresh tokens, invitation tokens, agent and service-client
// secrets are 256-bit random values (base64url): full entropy, so SHA-256 is a sufficient stored
// form (decision 006 §3) and lookups can go by hash. Comparisons of secrets are constant-time.
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';

/** 32 random bytes, base64url (43 characters): safe in URLs, shells and MQTT passwords. */
export function newSecret(): string {
  return randomBytes(32).toString('base64url');
}

export function sha256(value: string): Buffer {
  return createHash('sha256').update(value, 'utf8').digest();
}

/** Constant-time equality of two hashes (different lengths are simply unequal). */
export function sameHash(a: Buffer, b: Buffer): boolean {
  return a.length === b.length && timingSafeEqual(a, b);
}

/** A topic-safe id (`^[A-Za-z0-9_-]{1,64}$`, proto/topics.ts): prefix + 96 random bits, base64url. */
export function newTopicId(prefix: string): string {
  return `${prefix}-${randomBytes(12).toString('base64url')}`;
}
