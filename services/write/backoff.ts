// Retry delays for a batch InfluxDB could not take (5xx, network error, timeout): exponential with
// "equal jitter" (half fixed, half random), so a restarted InfluxDB is not hit by every writer at
// the same instant, and a delay never collapses to zero.

export interface BackoffOptions {
  readonly initialMs: number;
  readonly maxMs: number;
}

export const DEFAULT_BACKOFF: BackoffOptions = { initialMs: 100, maxMs: 10_000 };

/** Delay before retry number `attempt` (0 = first retry); `random` returns [0, 1). */
export function backoffDelayMs(attempt: number, options: BackoffOptions, random: () => number): number {
  const ceiling = Math.min(options.maxMs, options.initialMs * 2 ** Math.min(attempt, 30));
  return Math.round(ceiling / 2 + random() * (ceiling / 2));
}
