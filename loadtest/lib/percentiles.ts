// Latency summaries for load-test reports.
export interface LatencySummary {
  readonly count: number;
  readonly p50: number;
  readonly p99: number;
  readonly max: number;
}

export function summarize(samples: readonly number[]): LatencySummary {
  if (samples.length === 0) return { count: 0, p50: Number.NaN, p99: Number.NaN, max: Number.NaN };
  const sorted = Float64Array.from(samples).sort();
  const at = (q: number): number => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? Number.NaN;
  return { count: sorted.length, p50: at(0.5), p99: at(0.99), max: sorted[sorted.length - 1] ?? Number.NaN };
}

/** Quantile estimate from a Prometheus histogram's cumulative buckets (linear within a bucket). */
export function histogramQuantile(q: number, buckets: readonly { le: number; count: number }[]): number {
  const total = buckets.at(-1)?.count ?? 0;
  if (total === 0) return Number.NaN;
  const rank = q * total;
  let previous = { le: 0, count: 0 };
  for (const bucket of buckets) {
    if (bucket.count >= rank) {
      if (!Number.isFinite(bucket.le)) return previous.le;
      const inBucket = bucket.count - previous.count;
      return previous.le + (bucket.le - previous.le) * (inBucket === 0 ? 0 : (rank - previous.count) / inBucket);
    }
    previous = bucket;
  }
  return previous.le;
}

/**
 * Latencies of messages sent at or after `fromMs` into the run: steady state, without the first
 * publishes of fresh connections (JIT, first allocations, new series in InfluxDB).
 */
export function sentFrom(latenciesMs: readonly number[], sentAtMs: readonly number[], fromMs: number): number[] {
  return latenciesMs.filter((_, i) => (sentAtMs[i] ?? 0) >= fromMs);
}

/** p99 per whole second of the run (by send time): where in time the tail sits. */
export function p99PerSecond(latenciesMs: readonly number[], sentAtMs: readonly number[]): number[] {
  const seconds: number[][] = [];
  latenciesMs.forEach((latency, i) => (seconds[Math.floor((sentAtMs[i] ?? 0) / 1000)] ??= []).push(latency));
  return Array.from(seconds, (s) => summarize(s ?? []).p99);
}
