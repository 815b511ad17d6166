// Per-second aggregation of a load run: what the live progress line prints and what the chart
// draws. Throughput is counted by when things happened (ack time), so a second's "acked" is the
// rate the target sustained in that second; latency is grouped the same way.
import { summarize } from '../lib/percentiles.js';

export interface SecondSample {
  /** Whole seconds since the run started (0 = the first second). */
  readonly second: number;
  readonly sent: number;
  readonly acked: number;
  /** Stored in this second (messages journaled, or points in InfluxDB, depending on the target). */
  readonly stored: number;
  readonly p50Ms: number;
  readonly p99Ms: number;
  readonly maxMs: number;
}

interface Bucket {
  sent: number;
  acked: number;
  latenciesMs: number[];
  /** Cumulative stored total last seen in this second. */
  storedTotal: number | undefined;
}

export class PerSecondSeries {
  private readonly buckets: Bucket[] = [];

  /** @param storedBaseline the stored counter's value when the run started. */
  constructor(private readonly storedBaseline = 0) {}

  private bucket(atMs: number): Bucket {
    const index = Math.max(0, Math.floor(atMs / 1000));
    for (let i = this.buckets.length; i <= index; i++) this.buckets.push({ sent: 0, acked: 0, latenciesMs: [], storedTotal: undefined });
    return this.buckets[index]!;
  }

  recordSent(atMs: number, count = 1): void {
    this.bucket(atMs).sent += count;
  }

  /** A NaN latency counts the ack but no latency (a drain measured by a counter has none). */
  recordAck(atMs: number, latencyMs: number, count = 1): void {
    const b = this.bucket(atMs);
    b.acked += count;
    if (Number.isFinite(latencyMs)) b.latenciesMs.push(latencyMs);
  }

  /** A cumulative counter read at `atMs` (e.g. a /metrics scrape); per-second values are its differences. */
  recordStoredTotal(atMs: number, total: number): void {
    this.bucket(atMs).storedTotal = total;
  }

  /** Seconds recorded so far (the last one may still be filling). */
  get length(): number {
    return this.buckets.length;
  }

  samples(): SecondSample[] {
    return this.buckets.map((_, second) => this.sampleAt(second));
  }

  sample(second: number): SecondSample | undefined {
    return second < this.buckets.length ? this.sampleAt(second) : undefined;
  }

  private totalBefore(second: number): number {
    for (let i = second - 1; i >= 0; i--) {
      const total = this.buckets[i]!.storedTotal;
      if (total !== undefined) return total;
    }
    return this.storedBaseline;
  }

  private sampleAt(second: number): SecondSample {
    const b = this.buckets[second]!;
    const previousTotal = this.totalBefore(second);
    const stored = Math.max(0, (b.storedTotal ?? previousTotal) - previousTotal);
    const latency = summarize(b.latenciesMs);
    return { second, sent: b.sent, acked: b.acked, stored, p50Ms: latency.p50, p99Ms: latency.p99, maxMs: latency.max };
  }
}
