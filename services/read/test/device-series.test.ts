import { describe, expect, it } from 'vitest';
import { deviceOfSeries, groupByDevice, seriesKey, sumEnergies, sumPowerSeries } from '../domain/device-series.js';

const p = (t: number, mean: number, max = mean): { t: number; mean: number; max: number } => ({ t, mean, max });

describe('device series', () => {
  it('when two agents report the same device id, then their series are grouped under it, apart from other devices', () => {
    const grouped = groupByDevice(new Map([[seriesKey('a1', 'oven'), 1], [seriesKey('a2', 'oven'), 2], [seriesKey('a1', 'a/b'), 3]]));
    expect([...grouped]).toEqual([
      ['oven', [1, 2]],
      ['a/b', [3]],
    ]);
    expect(deviceOfSeries(seriesKey('agent-1', 'x/y'))).toBe('x/y');
  });

  it('when series have points in the same buckets, then means and maxes add', () => {
    expect(sumPowerSeries([[p(0, 1000, 1100), p(60_000, 900)], [p(0, 200, 250), p(60_000, 100)]])).toEqual([p(0, 1200, 1350), p(60_000, 1000)]);
  });

  it('when series sample at different instants, then each holds its last point for less than the hold time', () => {
    const a = [p(0, 1000), p(10_000, 1000), p(20_000, 1000)];
    const b = [p(5_000, 200), p(15_000, 200)];
    expect(sumPowerSeries([a, b], 60_000).map((x) => x.mean)).toEqual([1000, 1200, 1200, 1200, 1200]);
    // Past the hold time a silent series no longer counts.
    expect(sumPowerSeries([[p(0, 1), p(70_000, 1)], [p(0, 2)]], 60_000).map((x) => x.mean)).toEqual([3, 1]);
  });

  it('when one series is summed, then its own points come back unchanged', () => {
    const only = [p(0, 5)];
    expect(sumPowerSeries([only])).toBe(only);
    expect(sumPowerSeries([])).toEqual([]);
  });

  it('when base-bucket energies of several series are summed, then buckets add by start', () => {
    expect(sumEnergies([[{ startMs: 0, energyWh: 1 }, { startMs: 10, energyWh: 2 }], [{ startMs: 10, energyWh: 3 }]])).toEqual([
      { startMs: 0, energyWh: 1 },
      { startMs: 10, energyWh: 5 },
    ]);
  });
});
