import { describe, expect, it } from 'vitest';
import { PerSecondSeries } from '../per-second.js';
import { formatProgressLine } from '../progress-line.js';

describe('per-second series', () => {
  it('when events span three seconds, then each second counts its own sends, acks and latencies', () => {
    const series = new PerSecondSeries();
    series.recordSent(10);
    series.recordSent(990);
    series.recordAck(995, 5);
    series.recordSent(1500);
    series.recordAck(1200, 210);
    series.recordAck(2500, 1000, 3);
    const samples = series.samples();
    expect(samples.map((s) => [s.second, s.sent, s.acked])).toEqual([[0, 2, 1], [1, 1, 1], [2, 0, 3]]);
    expect(samples[0]).toMatchObject({ p50Ms: 5, p99Ms: 5, maxMs: 5 });
    expect(samples[1]!.p99Ms).toBe(210);
  });

  it('when the stored counter is read at some seconds only, then per-second stored is its difference from the baseline on', () => {
    const series = new PerSecondSeries(100);
    series.recordStoredTotal(999, 150);
    series.recordSent(1500);
    series.recordStoredTotal(2999, 400);
    expect(series.samples().map((s) => s.stored)).toEqual([50, 0, 250]);
    expect(series.sample(2)?.stored).toBe(250);
    expect(series.sample(3)).toBeUndefined();
  });

  it('when a counter goes backwards (a restart), then the second shows 0, not a negative rate', () => {
    const series = new PerSecondSeries();
    series.recordStoredTotal(500, 10);
    series.recordStoredTotal(1500, 4);
    expect(series.samples().map((s) => s.stored)).toEqual([10, 0]);
  });

  it('when a second had no acks, then its latencies are NaN and the progress line shows a dash', () => {
    const series = new PerSecondSeries();
    series.recordSent(100);
    const sample = series.sample(0)!;
    expect(sample.p99Ms).toBeNaN();
    const line = formatProgressLine('broker', sample, { sent: 1234, acked: 0, stored: undefined }, 'msgs');
    expect(line).toContain('[broker]   1 s: sent 1 msgs/s, acked 0 msgs/s;');
    expect(line).toContain('p99 - ms');
    expect(line).toContain('totals sent 1,234');
    expect(line).not.toContain('stored');
  });
});
