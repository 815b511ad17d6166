import { describe, expect, it } from 'vitest';
import { interleavedHouseholds } from './publish-order.js';

describe('live benchmark publish order', () => {
  it('when half the households are watched, then watched and unwatched alternate', () => {
    expect(interleavedHouseholds(6, 3)).toEqual([1, 4, 2, 5, 3, 6]);
  });

  it('when the shares differ, then every household comes exactly once and watched ones are spread evenly', () => {
    const order = interleavedHouseholds(10_000, 100);
    expect([...order].sort((a, b) => a - b)).toEqual(Array.from({ length: 10_000 }, (_, i) => i + 1));
    const positions = order.flatMap((id, at) => (id <= 100 ? [at] : []));
    expect(positions).toHaveLength(100);
    const gaps = positions.slice(1).map((p, i) => p - (positions[i] as number));
    expect(Math.min(...gaps)).toBeGreaterThanOrEqual(99);
    expect(Math.max(...gaps)).toBeLessThanOrEqual(101);
  });

  it('when all or none are watched, then the order is numeric', () => {
    expect(interleavedHouseholds(4, 4)).toEqual([1, 2, 3, 4]);
    expect(interleavedHouseholds(4, 0)).toEqual([1, 2, 3, 4]);
  });
});
