import { describe, expect, it } from 'vitest';
import { backoffCeilingMs, DEFAULT_BACKOFF, fullJitterDelayMs } from '../mqtt/backoff.js';

describe('reconnect backoff with full jitter', () => {
  it('doubles the ceiling per attempt from 500 ms up to the 30 s cap', () => {
    expect([0, 1, 2, 3, 4, 5, 6, 7, 8].map((a) => backoffCeilingMs(a, DEFAULT_BACKOFF))).toEqual([
      500, 1000, 2000, 4000, 8000, 16_000, 30_000, 30_000, 30_000,
    ]);
    expect(backoffCeilingMs(10_000, DEFAULT_BACKOFF)).toBe(30_000);
  });

  it('draws every delay from [0, ceiling)', () => {
    expect(fullJitterDelayMs(3, DEFAULT_BACKOFF, () => 0)).toBe(0);
    expect(fullJitterDelayMs(3, DEFAULT_BACKOFF, () => 0.999_999)).toBe(3999);
    for (let attempt = 0; attempt < 20; attempt++) {
      const delays = Array.from({ length: 200 }, () => fullJitterDelayMs(attempt, DEFAULT_BACKOFF, Math.random));
      expect(Math.min(...delays)).toBeGreaterThanOrEqual(0);
      expect(Math.max(...delays)).toBeLessThan(backoffCeilingMs(attempt, DEFAULT_BACKOFF));
    }
  });

  it('spreads a fleet: delays of one attempt are not all alike', () => {
    const delays = new Set(Array.from({ length: 100 }, () => fullJitterDelayMs(6, DEFAULT_BACKOFF, Math.random)));
    expect(delays.size).toBeGreaterThan(90);
  });
});
