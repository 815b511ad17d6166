// Sliding-window login throttling, the arithmetic only. A key (an account or a client address) is
// throttled once it has `limit` failures within the last `windowMs`; it is free again when the
// oldest of those `limit` failures leaves the window. Exact, not an approximation: ASVS V2.2.1
// says at most 100 failed attempts per hour per account, and a sliding log keeps that promise at
// every instant (a fixed window would allow 200 across a window boundary).

export interface RecentFailures {
  /** Failures inside the window, counted up to `limit` (the most recent ones). */
  readonly count: number;
  /** Time of the oldest failure among those counted, ms since epoch. */
  readonly oldestAtMs: number | undefined;
}

export type ThrottleDecision = { readonly throttled: false } | { readonly throttled: true; readonly retryAfterS: number };

export function decideThrottle(recent: RecentFailures, limit: number, windowMs: number, nowMs: number): ThrottleDecision {
  if (recent.count < limit || recent.oldestAtMs === undefined) return { throttled: false };
  const freeAtMs = recent.oldestAtMs + windowMs;
  if (freeAtMs <= nowMs) return { throttled: false };
  // Retry-After is whole seconds (RFC 9110 §10.2.3); round up so a client that obeys is not refused again.
  return { throttled: true, retryAfterS: Math.max(1, Math.ceil((freeAtMs - nowMs) / 1000)) };
}

/** The stricter of several decisions: throttled if any is, with the longest wait. */
export function strictest(decisions: readonly ThrottleDecision[]): ThrottleDecision {
  let result: ThrottleDecision = { throttled: false };
  for (const d of decisions) {
    if (d.throttled && (!result.throttled || d.retryAfterS > result.retryAfterS)) result = d;
  }
  return result;
}
