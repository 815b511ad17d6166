import { describe, expect, it } from 'vitest';
import { backoffMs } from '../webhook/deliver.js';

describe('webhook retry backoff', () => {
  it('when attempts fail, then the wait doubles within [half, full] of its ceiling, up to the cap', () => {
    const low = (attempt: number): number => backoffMs(attempt, 1_000, 60_000, () => 0);
    const high = (attempt: number): number => backoffMs(attempt, 1_000, 60_000, () => 1);
    expect([1, 2, 3, 4].map(low)).toEqual([500, 1_000, 2_000, 4_000]);
    expect([1, 2, 3, 4].map(high)).toEqual([1_000, 2_000, 4_000, 8_000]);
    expect(high(30)).toBe(60_000);
  });
});
