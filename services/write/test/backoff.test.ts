import { describe, expect, it } from 'vitest';
import { backoffDelayMs, DEFAULT_BACKOFF } from '../backoff.js';
import { createPeekSizer } from '../peek-sizer.js';

describe('backoff', () => {
  it('doubles from initialMs with half of each delay random, capped at maxMs', () => {
    const options = { initialMs: 100, maxMs: 1000 };
    expect([0, 1, 2, 3, 4, 10].map((a) => backoffDelayMs(a, options, () => 0))).toEqual([50, 100, 200, 400, 500, 500]);
    expect([0, 1, 2, 3, 4, 10].map((a) => backoffDelayMs(a, options, () => 0.999999))).toEqual([100, 200, 400, 800, 1000, 1000]);
  });

  it('the default caps at 10 s and survives huge attempt numbers', () => {
    expect(backoffDelayMs(10_000, DEFAULT_BACKOFF, () => 0.5)).toBe(7500);
  });
});

describe('peek sizer', () => {
  it('peeks about enough containers for the free lines, following the observed average', () => {
    const sizer = createPeekSizer();
    expect(sizer.size(5000)).toBe(5000);
    for (let i = 0; i < 100; i++) sizer.observe(10);
    expect(sizer.size(5000)).toBeGreaterThan(500);
    expect(sizer.size(5000)).toBeLessThan(520);
    expect(sizer.size(1)).toBe(1);
    for (let i = 0; i < 100; i++) sizer.observe(0);
    expect(sizer.size(50)).toBe(50);
  });
});
