import { describe, expect, it } from 'vitest';
import { barColumns, movedBars, movedTimes, powerColumns, shiftedTotal } from './history-data';

const answer = (series: Record<string, [number, number][]>) => ({
  resolutionS: 60,
  fromMs: 0,
  toMs: 0,
  series: Object.entries(series).map(([device, points]) => ({ device, points: points.map(([t, mean]) => ({ t, mean, max: mean })) })),
  total: [],
});

describe('history columns', () => {
  it('when a device is hidden, then it leaves the chart and the total', () => {
    const cols = powerColumns(answer({ a: [[0, 10], [60_000, 20]], b: [[60_000, 5]] }), new Set(['b']));
    expect(cols.x).toEqual([0, 60]);
    expect(cols.devices.map((d) => d.device)).toEqual(['a']);
    expect(cols.total).toEqual([10, 20]);
  });

  it('when comparing, then the previous period is moved onto this period\'s axis', () => {
    const previous = answer({ a: [[0, 1], [60_000, 2]] });
    expect(shiftedTotal(previous, new Set(), movedTimes(previous, (t) => t + 86_400_000), [86_400, 86_460, 86_520])).toEqual([1, 2, null]);
  });

  it('when a moved time misses the grid, then the nearest earlier moved bucket within one step stands there', () => {
    // Ten-minute buckets moved 30 minutes late of a grid they share only every 30 minutes.
    const previous = answer({ a: [[0, 1], [600_000, 2], [1_200_000, 3]] });
    const late = (t: number): number => t + 1_800_000 + (t === 600_000 ? 300_000 : 0);
    // Moved: 0 → 1800 s, 600 → 2700 s, 1200 → 3000 s.
    expect(shiftedTotal(previous, new Set(), movedTimes(previous, late), [1200, 1800, 2100, 2400, 2700, 3000, 3600])).toEqual([null, 1, 1, null, 2, 3, null]);
  });

  it('when a device is hidden, then the previous total changes at the same moved times', () => {
    const previous = answer({ a: [[0, 1], [60_000, 2]], b: [[0, 3]] });
    const moved = movedTimes(previous, (t) => t + 86_400_000);
    expect(moved).toEqual([86_400_000, 86_460_000]);
    expect(shiftedTotal(previous, new Set(), moved, [86_400, 86_460])).toEqual([4, 2]);
    expect(shiftedTotal(previous, new Set(['b']), moved, [86_400, 86_460])).toEqual([1, 2]);
  });

  it('when devices are hidden, then bars count only the shown ones', () => {
    const buckets = [{ start: 's', startMs: 0, endMs: 1, totalKwh: 3, devices: { a: 1, b: 2 }, cost: 0.9, deviceCosts: { a: 0.3, b: 0.6 } }];
    expect(barColumns(buckets, new Set())).toEqual({ x: [0], kwh: [3], cost: [0.9] });
    expect(barColumns(buckets, new Set(['b']))).toEqual({ x: [0], kwh: [1], cost: [0.3] });
  });

  it('when comparing bars, then each previous bucket stands beside the bucket its start moves to, not the one at its index', () => {
    // The previous period lacks its second bucket (no readings): index alignment would put 30 beside 60.
    expect(movedBars([0, 120], [10, 30], (t) => t + 86_400_000, [86_400, 86_460, 86_520])).toEqual([10, null, 30]);
  });
});
