import { describe, expect, it } from 'vitest';
import type { CalendarBucket } from '../domain/calendar-buckets.js';
import { completenessByDay, distinctBySeq, findGaps, medianIntervalMs, type SeqSample } from '../domain/completeness.js';

// Two short "days" of 100 s with one container every 10 s: 10 expected per day.
const DAYS: CalendarBucket[] = [
  { startMs: 0, endMs: 100_000, label: 'day-1' },
  { startMs: 100_000, endMs: 200_000, label: 'day-2' },
];

/** Containers `fromSeq`…`toSeq`, seq n sent at (n − 1) × 10 s plus `offsetMs`. */
function run(fromSeq: number, toSeq: number, offsetMs = 0): SeqSample[] {
  const samples: SeqSample[] = [];
  for (let seq = fromSeq; seq <= toSeq; seq += 1) samples.push({ seq, timeMs: (seq - 1) * 10_000 + offsetMs });
  return samples;
}

function without(samples: readonly SeqSample[], ...seqs: number[]): SeqSample[] {
  return samples.filter((s) => !seqs.includes(s.seq));
}

function report(samples: readonly SeqSample[]): ReturnType<typeof completenessByDay> {
  const sorted = distinctBySeq(samples);
  return completenessByDay(sorted, findGaps(sorted), DAYS);
}

describe('distinctBySeq', () => {
  it('when several readings share a container seq, then one sample per seq is kept, the first seen', () => {
    const samples = [
      { seq: 2, timeMs: 10_000 },
      { seq: 1, timeMs: 0 },
      { seq: 2, timeMs: 10_500 },
      { seq: 1, timeMs: 200 },
    ];
    expect(distinctBySeq(samples)).toEqual([
      { seq: 1, timeMs: 0 },
      { seq: 2, timeMs: 10_000 },
    ]);
  });
});

describe('findGaps', () => {
  it('when every seq arrived, then there are no gaps', () => {
    expect(findGaps(run(1, 20))).toEqual([]);
  });

  it('when seqs are missing, then the gap lists them with times interpolated between the neighbours', () => {
    expect(findGaps(without(run(1, 20), 5, 6))).toEqual([{ fromSeq: 5, toSeq: 6, missing: 2, approxFromMs: 40_000, approxToMs: 50_000 }]);
  });

  it('when there are several gaps, then each is listed in seq order', () => {
    expect(findGaps(without(run(1, 20), 3, 10, 11, 12)).map((g) => [g.fromSeq, g.toSeq, g.missing])).toEqual([
      [3, 3, 1],
      [10, 12, 3],
    ]);
  });

  it('when there are fewer than two samples, then there are no gaps', () => {
    expect(findGaps([])).toEqual([]);
    expect(findGaps(run(7, 7))).toEqual([]);
  });
});

describe('medianIntervalMs', () => {
  it('when containers arrive regularly with a gap, then the median spacing per seq is the regular interval', () => {
    expect(medianIntervalMs(without(run(1, 20), 5, 6))).toBe(10_000);
  });

  it('when there is a single sample, then the interval is unknown', () => {
    expect(medianIntervalMs(run(1, 1))).toBeUndefined();
  });
});

describe('completenessByDay', () => {
  it('when every container arrived, then each day has share 1 and coverage 1', () => {
    expect(report(run(1, 20))).toEqual([
      { day: 'day-1', received: 10, expected: 10, share: 1, coverage: 1 },
      { day: 'day-2', received: 10, expected: 10, share: 1, coverage: 1 },
    ]);
  });

  it('when two containers were lost on day 1, then day 1 expected 10 and received 8', () => {
    expect(report(without(run(1, 20), 5, 6))[0]).toMatchObject({ received: 8, expected: 10, share: 0.8 });
  });

  it('when a gap crosses midnight, then its missing containers are split between the days by interpolated time', () => {
    // Seqs 9–13 (80 s … 120 s) are lost: 9 and 10 on day 1, 11–13 on day 2.
    const days = report(without(run(1, 20), 9, 10, 11, 12, 13));
    expect(days.map((d) => [d.received, d.expected])).toEqual([
      [8, 10],
      [7, 10],
    ]);
  });

  it('when the agent was switched off (time passes, no seq is skipped), then the share stays 1 and only the coverage drops', () => {
    const samples = [...run(1, 5), ...run(6, 10, 100_000)];
    expect(report(samples)).toEqual([
      { day: 'day-1', received: 5, expected: 5, share: 1, coverage: 0.5 },
      { day: 'day-2', received: 5, expected: 5, share: 1, coverage: 0.5 },
    ]);
  });

  it('when containers arrive as duplicates, then each counts once', () => {
    const samples = run(1, 20);
    expect(report([...samples, ...samples])[0]).toMatchObject({ received: 10, expected: 10, share: 1 });
  });

  it('when nothing arrived, then nothing was expected and share and coverage are null', () => {
    expect(report([])).toEqual([
      { day: 'day-1', received: 0, expected: 0, share: null, coverage: null },
      { day: 'day-2', received: 0, expected: 0, share: null, coverage: null },
    ]);
  });

  it('when a day has a single container, then its share is 1 and the coverage is unknown', () => {
    expect(report(run(3, 3))[0]).toEqual({ day: 'day-1', received: 1, expected: 1, share: 1, coverage: null });
  });

  it('when the seq goes back (the agent lost its seq state and restarted at 1), then no containers are reported missing across the restart', () => {
    // Day 1: seqs 100–109; day 2, after a reinstall: seqs 1–10. Sorted by seq, seq 10 (day 2) is
    // followed by seq 100 (day 1): that is a restart, not 89 lost containers.
    const before = run(100, 109, -99 * 10_000);
    const after = run(1, 10, 100_000);
    const sorted = distinctBySeq([...before, ...after]);
    expect(findGaps(sorted)).toEqual([]);
    expect(completenessByDay(sorted, findGaps(sorted), DAYS).map((d) => [d.received, d.expected])).toEqual([
      [10, 10],
      [10, 10],
    ]);
  });

  it('when the seq goes back and a run has its own gap, then that gap is still reported', () => {
    const before = without(run(100, 109, -99 * 10_000), 104);
    const after = without(run(1, 10, 100_000), 5);
    const gaps = findGaps(distinctBySeq([...before, ...after]));
    expect(gaps.map((g) => [g.fromSeq, g.toSeq])).toEqual([
      [5, 5],
      [104, 104],
    ]);
  });
});
