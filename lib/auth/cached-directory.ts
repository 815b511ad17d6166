// Caches AgentDirectory and MembershipDirectory answers for a few seconds, so reconnect storms and
// SUBSCRIBE bursts do not each cost a PostgreSQL round trip. Revocation still cuts off within 10 s:
// every TTL is capped at 10 s, and forgetAgent() (called by the broker's credential watch when an
// agent's credentials change) drops that agent's entries at once.
import { createHash } from 'node:crypto';
import type { AgentDirectory, AgentIdentity, MembershipDirectory } from './directory.js';
import { createTtlCache } from './ttl-cache.js';

export const MAX_CACHE_TTL_MS = 10_000;

export interface DirectoryCacheTtls {
  /** Memberships of a subject. Default 10 s. */
  readonly membershipsMs: number;
  /** A verified (agentId, secret) pair. Default 10 s. */
  readonly agentMs: number;
  /**
   * A refused (agentId, secret) pair. Default 2 s. This spares the database a misconfigured agent
   * reconnecting in a loop; against guessing it adds nothing (the secret has 256 bits) but cost.
   */
  readonly refusedAgentMs: number;
}

export const DEFAULT_CACHE_TTLS: DirectoryCacheTtls = { membershipsMs: 10_000, agentMs: 10_000, refusedAgentMs: 2_000 };

export interface CachedDirectory extends AgentDirectory, MembershipDirectory {
  /** Drops every cached answer about `agentId` (its credentials changed). */
  forgetAgent(agentId: string): void;
}

// The cache key never holds the secret itself: a hash of (agentId, secret), NUL-separated.
const credentialKey = (agentId: string, secret: string): string =>
  createHash('sha256').update(agentId).update('\0').update(secret).digest('base64url');

export function createCachedDirectory(
  agents: AgentDirectory,
  memberships: MembershipDirectory,
  ttls: Partial<DirectoryCacheTtls> = {},
  clock: () => number = Date.now,
): CachedDirectory {
  const ttl = { ...DEFAULT_CACHE_TTLS, ...ttls };
  for (const [name, ms] of Object.entries(ttl)) {
    if (ms > MAX_CACHE_TTL_MS) throw new Error(`cache TTL ${name} ${ms} ms exceeds ${MAX_CACHE_TTL_MS} ms: revocation must cut off within 10 s`);
  }
  const verdicts = createTtlCache<{ readonly verdict: AgentIdentity | null; readonly askedAt: number }>(clock);
  const households = createTtlCache<readonly string[]>(clock);
  // When each agent's credentials last changed (as far as we were told). An answer obtained from a
  // question asked at or before that moment may be stale and is not used.
  const forgottenAt = createTtlCache<number>(clock, 10_000_000);

  return {
    async verifyAgent(agentId, secret) {
      const key = credentialKey(agentId, secret);
      const cached = verdicts.get(key);
      if (cached !== undefined && cached.askedAt > (forgottenAt.get(agentId) ?? -Infinity)) return cached.verdict ?? undefined;
      const askedAt = clock();
      const verdict = await agents.verifyAgent(agentId, secret);
      verdicts.set(key, { verdict: verdict ?? null, askedAt }, verdict === undefined ? ttl.refusedAgentMs : ttl.agentMs);
      return verdict;
    },
    credentialChangesSince: (sinceMs) => agents.credentialChangesSince(sinceMs),
    async householdsOf(subject) {
      const cached = households.get(subject);
      if (cached !== undefined) return cached;
      const fresh = await memberships.householdsOf(subject);
      households.set(subject, fresh, ttl.membershipsMs);
      return fresh;
    },
    forgetAgent(agentId) {
      // Kept as long as any cached answer can live; after that every older answer has expired anyway.
      forgottenAt.set(agentId, clock(), MAX_CACHE_TTL_MS + 1);
    },
  };
}
