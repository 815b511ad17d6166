// Pauses of a Node process between two scrapes of its /metrics (prom-client's default metrics):
// the longest event-loop delay and the time spent in garbage collection. A latency tail that
// sits in one second of a run is usually one of these, in one of the processes on the path.
import { bucketCountAt, metricValue } from './prometheus-text.js';

export interface ProcessPauses {
  /** Longest event-loop delay since the previous scrape (prom-client resets it on every collect). */
  readonly eventLoopMaxMs: number;
  readonly gcMs: number;
  /** Collections that took longer than 100 ms (the default buckets' edge nearest the targets). */
  readonly gcOver100Ms: number;
}

const GC = 'nodejs_gc_duration_seconds';

/** `before` must be a scrape taken at the start of the period, so the event-loop maximum is reset. */
export function pausesSince(before: string, after: string): ProcessPauses {
  // Summed over every `kind` (major, minor, incremental, weakcb).
  const over100 = (text: string): number => metricValue(text, `${GC}_count`) - bucketCountAt(text, GC, '0.1');
  return {
    eventLoopMaxMs: metricValue(after, 'nodejs_eventloop_lag_max_seconds') * 1000,
    gcMs: (metricValue(after, `${GC}_sum`) - metricValue(before, `${GC}_sum`)) * 1000,
    gcOver100Ms: over100(after) - over100(before),
  };
}

export function formatPauses(name: string, pauses: ProcessPauses): string {
  return `${name} event loop max ${pauses.eventLoopMaxMs.toFixed(0)} ms, GC ${pauses.gcMs.toFixed(0)} ms (${pauses.gcOver100Ms} over 100 ms)`;
}
