import { Registry, collectDefaultMetrics } from 'prom-client';
import { describe, expect, it } from 'vitest';
import { formatPauses, pausesSince } from './process-pauses.js';

const scrapeText = (lines: string[]): string => `${lines.join('\n')}\n`;

describe('process pauses between two scrapes', () => {
  it('when GCs of several kinds ran, then their time is summed and the long ones counted', () => {
    const before = scrapeText([
      'nodejs_eventloop_lag_max_seconds 0.5',
      'nodejs_gc_duration_seconds_bucket{le="0.1",kind="minor"} 10',
      'nodejs_gc_duration_seconds_bucket{le="+Inf",kind="minor"} 10',
      'nodejs_gc_duration_seconds_sum{kind="minor"} 0.05',
      'nodejs_gc_duration_seconds_count{kind="minor"} 10',
      'nodejs_gc_duration_seconds_bucket{le="0.1",kind="major"} 1',
      'nodejs_gc_duration_seconds_bucket{le="+Inf",kind="major"} 1',
      'nodejs_gc_duration_seconds_sum{kind="major"} 0.02',
      'nodejs_gc_duration_seconds_count{kind="major"} 1',
    ]);
    const after = scrapeText([
      'nodejs_eventloop_lag_max_seconds 0.042',
      'nodejs_gc_duration_seconds_bucket{le="0.1",kind="minor"} 30',
      'nodejs_gc_duration_seconds_bucket{le="+Inf",kind="minor"} 30',
      'nodejs_gc_duration_seconds_sum{kind="minor"} 0.15',
      'nodejs_gc_duration_seconds_count{kind="minor"} 30',
      'nodejs_gc_duration_seconds_bucket{le="0.1",kind="major"} 2',
      'nodejs_gc_duration_seconds_bucket{le="+Inf",kind="major"} 4',
      'nodejs_gc_duration_seconds_sum{kind="major"} 0.52',
      'nodejs_gc_duration_seconds_count{kind="major"} 4',
    ]);
    const pauses = pausesSince(before, after);
    expect(pauses.eventLoopMaxMs).toBeCloseTo(42);
    expect(pauses.gcMs).toBeCloseTo(600);
    expect(pauses.gcOver100Ms).toBe(2);
    expect(formatPauses('read', pauses)).toBe('read event loop max 42 ms, GC 600 ms (2 over 100 ms)');
  });

  it('when read from a real prom-client registry, then the names it looks for are there', async () => {
    const registry = new Registry();
    collectDefaultMetrics({ register: registry });
    await new Promise((resolve) => setTimeout(resolve, 50));
    const text = await registry.metrics();
    expect(text).toContain('nodejs_eventloop_lag_max_seconds ');
    expect(text).toContain('# TYPE nodejs_gc_duration_seconds histogram');
    const pauses = pausesSince(text, text);
    expect(pauses.gcMs).toBe(0);
    expect(pauses.eventLoopMaxMs).toBeGreaterThanOrEqual(0);
  });
});
