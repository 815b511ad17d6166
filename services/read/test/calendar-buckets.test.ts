import { describe, expect, it } from 'vitest';
import { calendarBuckets, clipBuckets, hourAlignedZone, localIso, nextPeriodStart, periodStart } from '../domain/calendar-buckets.js';

const BERLIN = 'Europe/Berlin';
const at = (iso: string): number => Date.parse(iso);
const HOUR = 3_600_000;
const hours = (b: { startMs: number; endMs: number }): number => (b.endMs - b.startMs) / HOUR;

describe('day buckets', () => {
  it('when a plain winter day is bucketed, then it runs from local midnight to local midnight (24 h)', () => {
    const [day] = calendarBuckets('day', at('2026-01-15T10:00:00Z'), at('2026-01-15T11:00:00Z'), BERLIN);
    expect(day).toEqual({ startMs: at('2026-01-14T23:00:00Z'), endMs: at('2026-01-15T23:00:00Z'), label: '2026-01-15T00:00:00+01:00' });
  });

  it('when the clocks spring forward (Berlin 2026-03-29), then that day lasts 23 hours', () => {
    const buckets = calendarBuckets('day', at('2026-03-28T23:00:00Z'), at('2026-03-30T22:00:00Z'), BERLIN);
    expect(buckets.map((b) => b.label)).toEqual(['2026-03-29T00:00:00+01:00', '2026-03-30T00:00:00+02:00']);
    expect(buckets.map(hours)).toEqual([23, 24]);
  });

  it('when the clocks fall back (Berlin 2026-10-25), then that day lasts 25 hours', () => {
    const buckets = calendarBuckets('day', at('2026-10-24T22:00:00Z'), at('2026-10-25T23:00:00Z'), BERLIN);
    expect(buckets).toEqual([{ startMs: at('2026-10-24T22:00:00Z'), endMs: at('2026-10-25T23:00:00Z'), label: '2026-10-25T00:00:00+02:00' }]);
    expect(buckets.map(hours)).toEqual([25]);
  });

  it('when the range ends exactly at a bucket start, then that bucket is not included', () => {
    const buckets = calendarBuckets('day', at('2026-01-14T23:00:00Z'), at('2026-01-16T23:00:00Z'), BERLIN);
    expect(buckets).toHaveLength(2);
  });

  it('when the range is empty and on a bucket start, then there are no buckets', () => {
    expect(calendarBuckets('day', at('2026-01-14T23:00:00Z'), at('2026-01-14T23:00:00Z'), BERLIN)).toEqual([]);
  });

  it('when the range starts mid-day, then the first bucket is the whole day containing it', () => {
    // The routes reject from >= to, so an empty mid-day range never reaches this.
    const buckets = calendarBuckets('day', at('2026-01-15T10:00:00Z'), at('2026-01-15T10:00:01Z'), BERLIN);
    expect(buckets.map((b) => b.startMs)).toEqual([at('2026-01-14T23:00:00Z')]);
  });

  it('when midnight is skipped (Santiago 2026-09-06), then the day starts at 01:00 and lasts 23 hours', () => {
    const [day] = calendarBuckets('day', at('2026-09-06T12:00:00Z'), at('2026-09-06T13:00:00Z'), 'America/Santiago');
    expect(day?.label).toBe('2026-09-06T01:00:00-03:00');
    expect(day === undefined ? 0 : hours(day)).toBe(23);
  });
});

describe('hour buckets', () => {
  it('when the autumn night repeats 02:00, then both 02:00 hours are separate buckets (25 in the day)', () => {
    const buckets = calendarBuckets('hour', at('2026-10-24T22:00:00Z'), at('2026-10-25T23:00:00Z'), BERLIN);
    expect(buckets).toHaveLength(25);
    expect(buckets.slice(1, 5).map((b) => b.label)).toEqual([
      '2026-10-25T01:00:00+02:00',
      '2026-10-25T02:00:00+02:00',
      '2026-10-25T02:00:00+01:00',
      '2026-10-25T03:00:00+01:00',
    ]);
  });

  it('when the spring night skips 02:00, then the day has 23 hour buckets and 01:00 is followed by 03:00', () => {
    const buckets = calendarBuckets('hour', at('2026-03-28T23:00:00Z'), at('2026-03-29T22:00:00Z'), BERLIN);
    expect(buckets).toHaveLength(23);
    expect(buckets.slice(1, 3).map((b) => b.label)).toEqual(['2026-03-29T01:00:00+01:00', '2026-03-29T03:00:00+02:00']);
  });

  it('when the zone is Asia/Kolkata (+05:30), then hours start on the local hour, i.e. at :30 UTC', () => {
    const start = periodStart('hour', at('2026-06-01T10:10:00Z'), 'Asia/Kolkata');
    expect(start).toBe(at('2026-06-01T09:30:00Z'));
    expect(localIso(start, 'Asia/Kolkata')).toBe('2026-06-01T15:00:00+05:30');
    expect(nextPeriodStart('hour', start, 'Asia/Kolkata')).toBe(at('2026-06-01T10:30:00Z'));
  });
});

describe('week buckets', () => {
  it('when the instant is a Sunday, then its week starts on the Monday before at local midnight', () => {
    expect(periodStart('week', at('2026-03-29T12:00:00Z'), BERLIN)).toBe(at('2026-03-22T23:00:00Z'));
  });

  it('when the instant is Monday 00:00 local, then its week starts right there', () => {
    expect(periodStart('week', at('2026-03-29T22:00:00Z'), BERLIN)).toBe(at('2026-03-29T22:00:00Z'));
  });

  it('when a week holds the spring-forward day, then it lasts 167 hours; with the autumn day 169', () => {
    const [spring] = calendarBuckets('week', at('2026-03-25T12:00:00Z'), at('2026-03-25T13:00:00Z'), BERLIN);
    const [autumn] = calendarBuckets('week', at('2026-10-21T12:00:00Z'), at('2026-10-21T13:00:00Z'), BERLIN);
    expect(spring?.label).toBe('2026-03-23T00:00:00+01:00');
    expect(spring === undefined ? 0 : hours(spring)).toBe(167);
    expect(autumn === undefined ? 0 : hours(autumn)).toBe(169);
  });

  it('when a week crosses a year end, then it starts on the Monday of the old year', () => {
    // 2027-01-01 is a Friday.
    expect(localIso(periodStart('week', at('2027-01-01T12:00:00Z'), BERLIN), BERLIN)).toBe('2026-12-28T00:00:00+01:00');
  });
});

describe('month and year buckets', () => {
  it('when months are bucketed, then each runs from the 1st to the 1st (Feb 28 days, March 31 days minus the DST hour)', () => {
    const buckets = calendarBuckets('month', at('2026-02-10T00:00:00Z'), at('2026-03-10T00:00:00Z'), BERLIN);
    expect(buckets.map((b) => b.label)).toEqual(['2026-02-01T00:00:00+01:00', '2026-03-01T00:00:00+01:00']);
    expect(buckets.map(hours)).toEqual([28 * 24, 31 * 24 - 1]);
  });

  it('when February of a leap year is bucketed, then it has 29 days', () => {
    const [feb] = calendarBuckets('month', at('2028-02-10T00:00:00Z'), at('2028-02-11T00:00:00Z'), BERLIN);
    expect(feb === undefined ? 0 : hours(feb) / 24).toBe(29);
  });

  it('when December is bucketed, then the next month is January of the next year', () => {
    expect(nextPeriodStart('month', at('2026-11-30T23:00:00Z'), BERLIN)).toBe(at('2026-12-31T23:00:00Z'));
  });

  it('when years are bucketed, then 2026 has 365 days and 2028 has 366', () => {
    const buckets = calendarBuckets('year', at('2026-06-01T00:00:00Z'), at('2028-06-01T00:00:00Z'), BERLIN);
    expect(buckets.map((b) => b.label)).toEqual(['2026-01-01T00:00:00+01:00', '2027-01-01T00:00:00+01:00', '2028-01-01T00:00:00+01:00']);
    expect(buckets.map((b) => hours(b) / 24)).toEqual([365, 365, 366]);
  });
});

describe('a zone without DST', () => {
  it('when days are bucketed in Asia/Tokyo across the European DST dates, then every day lasts 24 hours', () => {
    const buckets = calendarBuckets('day', at('2026-03-27T00:00:00Z'), at('2026-03-31T00:00:00Z'), 'Asia/Tokyo');
    expect(buckets[0]?.label).toBe('2026-03-27T00:00:00+09:00');
    expect(new Set(buckets.map(hours))).toEqual(new Set([24]));
  });

  it('when days are bucketed in Asia/Kolkata, then they start at 18:30 UTC', () => {
    const [day] = calendarBuckets('day', at('2026-06-01T10:00:00Z'), at('2026-06-01T11:00:00Z'), 'Asia/Kolkata');
    expect(day).toEqual({ startMs: at('2026-05-31T18:30:00Z'), endMs: at('2026-06-01T18:30:00Z'), label: '2026-06-01T00:00:00+05:30' });
  });
});

describe('localIso', () => {
  it('when the offset is negative, then the label carries a minus sign', () => {
    expect(localIso(at('2026-01-15T12:00:00Z'), 'America/New_York')).toBe('2026-01-15T07:00:00-05:00');
  });
});

describe('hourAlignedZone', () => {
  it('when every offset in the range is whole hours, then the zone is hour-aligned', () => {
    expect(hourAlignedZone(at('2026-01-01T00:00:00Z'), at('2027-01-01T00:00:00Z'), BERLIN)).toBe(true);
    expect(hourAlignedZone(at('2026-01-01T00:00:00Z'), at('2026-01-02T00:00:00Z'), 'UTC')).toBe(true);
  });

  it('when the zone has a half-hour offset, then it is not hour-aligned', () => {
    expect(hourAlignedZone(at('2026-01-01T00:00:00Z'), at('2026-01-02T00:00:00Z'), 'Asia/Kolkata')).toBe(false);
  });
});

describe('clipBuckets', () => {
  it('when a range starts and ends inside periods, then the first and last buckets are cut to it and the first is labelled where it starts', () => {
    const from = Date.parse('2026-03-28T10:00:00+01:00');
    const to = Date.parse('2026-03-30T14:00:00+02:00');
    const cut = clipBuckets(calendarBuckets('day', from, to, 'Europe/Berlin'), from, to, 'Europe/Berlin');
    expect(cut.map((b) => [b.label, b.endMs - b.startMs])).toEqual([
      ['2026-03-28T10:00:00+01:00', 14 * 3_600_000],
      ['2026-03-29T00:00:00+01:00', 23 * 3_600_000],
      ['2026-03-30T00:00:00+02:00', 14 * 3_600_000],
    ]);
  });

  it('when a range covers whole periods, then the buckets are the calendar ones', () => {
    const days = calendarBuckets('day', Date.parse('2026-03-28T00:00:00+01:00'), Date.parse('2026-03-30T00:00:00+02:00'), 'Europe/Berlin');
    expect(clipBuckets(days, days[0]?.startMs ?? 0, days[1]?.endMs ?? 0, 'Europe/Berlin')).toEqual(days);
  });
});
