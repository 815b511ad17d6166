// Reconnect delays: exponential backoff with "full jitter" (a uniform draw in
// [0, min(cap, base × 2^attempt))). Jitter spreads a fleet that lost its broker at the same
// moment, so the broker's return is not met by every agent in the same millisecond.

export interface BackoffOptions {
  readonly baseMs: number;
  readonly capMs: number;
}

export const DEFAULT_BACKOFF: BackoffOptions = { baseMs: 500, capMs: 30_000 };

/** Upper bound of the delay for the given attempt (0 = first retry). */
export function backoffCeilingMs(attempt: number, options: BackoffOptions): number {
  // 2^attempt overflows nothing before the cap applies; clamp the exponent to keep it finite.
  return Math.min(options.capMs, options.baseMs * 2 ** Math.min(attempt, 52));
}

/** `random` returns [0, 1), like Math.random; injected so tests can pin it. */
export function fullJitterDelayMs(attempt: number, options: BackoffOptions, random: () => number): number {
  return Math.floor(random() * backoffCeilingMs(attempt, options));
}
