import { describe, expect, it } from 'vitest';
import { energyFromCounters, sumIntoBuckets, type CounterBucket } from '../domain/counter-energy.js';

const HOUR = 3_600_000;

/** A bucket at hour `h` whose counter only rose, from `first` to `last`. */
function rising(h: number, first: number, last: number): CounterBucket {
  return { startMs: h * HOUR, first, last, min: first, max: last };
}

describe('energyFromCounters', () => {
  it('when the counter rises steadily, then each bucket gets its end minus the previous end', () => {
    const energies = energyFromCounters([rising(0, 100, 150), rising(1, 160, 200), rising(2, 205, 230)]);
    // The first bucket counts from its own first reading; later ones include the rise between buckets.
    expect(energies).toEqual([
      { startMs: 0, energyWh: 50 },
      { startMs: HOUR, energyWh: 50 },
      { startMs: 2 * HOUR, energyWh: 30 },
    ]);
  });

  it('when the counter before the range is known, then the first bucket counts from it', () => {
    expect(energyFromCounters([rising(0, 100, 150)], 90)).toEqual([{ startMs: 0, energyWh: 60 }]);
  });

  it('when a bucket holds a single reading, then it has no energy of its own', () => {
    expect(energyFromCounters([{ startMs: 0, first: 100, last: 100, min: 100, max: 100 }])).toEqual([{ startMs: 0, energyWh: 0 }]);
  });

  it('when readings resume after a gap, then the energy of the gap is booked in the bucket where they resume', () => {
    const energies = energyFromCounters([rising(0, 100, 150), rising(3, 300, 320)]);
    expect(energies.map((e) => e.energyWh)).toEqual([50, 170]);
  });

  it('when the counter resets inside a bucket, then the rise before and after the reset are added, never negative', () => {
    // 1000 before; the bucket reads 1010, 1050, then the plug restarts: 0, 20.
    const bucket: CounterBucket = { startMs: 0, first: 1010, last: 20, min: 0, max: 1050 };
    expect(energyFromCounters([bucket], 1000)).toEqual([{ startMs: 0, energyWh: 50 + 20 }]);
  });

  it('when the counter reset between two buckets, then the new bucket counts only its own rise', () => {
    const energies = energyFromCounters([rising(0, 900, 1000), rising(1, 5, 30)]);
    expect(energies.map((e) => e.energyWh)).toEqual([100, 25]);
  });

  it('when the counter reset and rose above the old value again in the bucket, then the post-reset max is not counted as pre-reset rise', () => {
    // Before 100; readings 150, reset to 0, 200. Counting the pre-reset rise up to the bucket max
    // (200, reached after the reset) gave 100 + 200; up to the first reading it is 50 + 200.
    const bucket: CounterBucket = { startMs: 0, first: 150, last: 200, min: 0, max: 200 };
    const [energy] = energyFromCounters([bucket], 100);
    expect(energy?.energyWh).toBe(250);
  });

  it('when the counter reset between buckets and the new count passed the old one, then only the new rise is counted', () => {
    // Last reading before the bucket 100; a new plug counts 0 … 150 in this bucket: 150 Wh, not 50 + 150.
    const energies = energyFromCounters([rising(0, 90, 100), { startMs: HOUR, first: 0, last: 150, min: 0, max: 150 }]);
    expect(energies.map((e) => e.energyWh)).toEqual([10, 150]);
  });

  it('when a series of buckets contains a reset, then no bucket is negative and later buckets count normally', () => {
    const energies = energyFromCounters([rising(0, 500, 600), { startMs: HOUR, first: 610, last: 10, min: 0, max: 640 }, rising(2, 15, 40)]);
    expect(energies.map((e) => e.energyWh)).toEqual([100, 40 + 10, 30]);
    expect(energies.every((e) => e.energyWh >= 0)).toBe(true);
  });

  it('when there are no buckets, then there are no energies', () => {
    expect(energyFromCounters([], 100)).toEqual([]);
  });
});

describe('sumIntoBuckets', () => {
  const days = [
    { startMs: 0, endMs: 24 * HOUR },
    { startMs: 24 * HOUR, endMs: 47 * HOUR }, // a 23-hour DST day
    { startMs: 47 * HOUR, endMs: 71 * HOUR },
  ];

  it('when hourly energies are summed into days, then each day gets the hours starting inside it', () => {
    const energies = [
      { startMs: 0, energyWh: 1 },
      { startMs: 23 * HOUR, energyWh: 2 },
      { startMs: 24 * HOUR, energyWh: 4 },
      { startMs: 46 * HOUR, energyWh: 8 },
      { startMs: 47 * HOUR, energyWh: 16 },
    ];
    expect(sumIntoBuckets(energies, days)).toEqual([3, 12, 16]);
  });

  it('when a day has no energies, then its sum is 0', () => {
    expect(sumIntoBuckets([{ startMs: 50 * HOUR, energyWh: 5 }], days)).toEqual([0, 0, 5]);
  });

  it('when energies lie before the first or after the last bucket, then they are ignored', () => {
    const energies = [
      { startMs: -HOUR, energyWh: 100 },
      { startMs: 2 * HOUR, energyWh: 1 },
      { startMs: 71 * HOUR, energyWh: 100 },
    ];
    expect(sumIntoBuckets(energies, days)).toEqual([1, 0, 0]);
  });

  it('when buckets leave a hole between them, then energies in the hole are ignored', () => {
    const sparse = [
      { startMs: 0, endMs: HOUR },
      { startMs: 2 * HOUR, endMs: 3 * HOUR },
    ];
    expect(sumIntoBuckets([{ startMs: HOUR, energyWh: 7 }, { startMs: 2 * HOUR, energyWh: 1 }], sparse)).toEqual([0, 1]);
  });
});
