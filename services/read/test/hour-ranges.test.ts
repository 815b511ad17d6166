import { describe, expect, it } from 'vitest';
import { HOUR_MS } from '../domain/durations.js';
import { hourRanges } from '../domain/hour-ranges.js';

describe('hourRanges', () => {
  it('when hours follow each other, then they form one range; a gap starts another', () => {
    expect(hourRanges([0, HOUR_MS, 2 * HOUR_MS, 5 * HOUR_MS])).toEqual([
      { fromMs: 0, toMs: 3 * HOUR_MS },
      { fromMs: 5 * HOUR_MS, toMs: 6 * HOUR_MS },
    ]);
  });

  it('when there are no hours, then there are no ranges', () => {
    expect(hourRanges([])).toEqual([]);
  });
});
