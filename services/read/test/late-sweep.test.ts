import { describe, expect, it } from 'vitest';
import { nextSweepSlice, type SweepSlice } from '../domain/late-sweep.js';

const H = 3_600_000;
const D = 24 * H;
const NOW = Date.parse('2026-05-20T10:17:00Z');
const EDGE = Date.parse('2026-05-18T10:00:00Z'); // now − 2 d, on the hour

describe('late-data sweep', () => {
  it('when passes follow one another, then they walk the window a day at a time, newest first, and start over after the oldest', () => {
    const options = { nowMs: NOW, lookbackMs: 2 * D, windowMs: 30 * D };
    const slices: SweepSlice[] = [];
    let slice: SweepSlice | undefined;
    for (let i = 0; i < 29; i += 1) {
      slice = nextSweepSlice(slice, options);
      if (slice !== undefined) slices.push(slice);
    }
    expect(slices[0]).toEqual({ fromMs: EDGE - D, toMs: EDGE });
    expect(slices[1]).toEqual({ fromMs: EDGE - 2 * D, toMs: EDGE - D });
    // 28 slices cover [now − 30 d, now − 2 d) without gaps; the 29th starts over.
    expect(slices[27]).toEqual({ fromMs: EDGE - 28 * D, toMs: EDGE - 27 * D });
    for (let i = 1; i < 28; i += 1) expect(slices[i]?.toMs).toBe(slices[i - 1]?.fromMs);
    expect(slices[28]).toEqual(slices[0]);
  });

  it('when the window is not a whole number of days past the lookback, then the last slice stops at its oldest hour', () => {
    const slice = nextSweepSlice(undefined, { nowMs: NOW, lookbackMs: 2 * D, windowMs: 2 * D + 5 * H });
    expect(slice).toEqual({ fromMs: EDGE - 5 * H, toMs: EDGE });
  });

  it('when the regular lookback covers the window, then there is nothing to sweep', () => {
    expect(nextSweepSlice(undefined, { nowMs: NOW, lookbackMs: 30 * D, windowMs: 30 * D })).toBeUndefined();
  });
});
