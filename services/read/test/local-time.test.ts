import { describe, expect, it } from 'vitest';
import { instantOfLocal, localParts, offsetMsAt } from '../domain/local-time.js';

const BERLIN = 'Europe/Berlin';
const at = (iso: string): number => Date.parse(iso);
const HOUR = 3_600_000;

describe('localParts', () => {
  it('when an instant is given, then its wall-clock parts in the zone are returned with the ISO weekday', () => {
    // 2026-03-29 is a Sunday; 23:30 UTC the day before is 00:30 in Berlin.
    expect(localParts(at('2026-03-28T23:30:45Z'), BERLIN)).toEqual({
      year: 2026,
      month: 3,
      day: 29,
      hour: 0,
      minute: 30,
      second: 45,
      weekday: 7,
    });
  });

  it('when it is midnight, then the hour is 0 (not 24)', () => {
    expect(localParts(at('2026-01-04T23:00:00Z'), BERLIN)).toMatchObject({ day: 5, hour: 0, weekday: 1 });
  });
});

describe('offsetMsAt', () => {
  it('when Berlin is on winter or summer time, then the offset is +1 h or +2 h', () => {
    expect(offsetMsAt(at('2026-01-15T12:00:00Z'), BERLIN)).toBe(HOUR);
    expect(offsetMsAt(at('2026-07-15T12:00:00Z'), BERLIN)).toBe(2 * HOUR);
  });

  it('when the clocks spring forward at 01:00 UTC, then the offset changes exactly then', () => {
    expect(offsetMsAt(at('2026-03-29T00:59:59Z'), BERLIN)).toBe(HOUR);
    expect(offsetMsAt(at('2026-03-29T01:00:00Z'), BERLIN)).toBe(2 * HOUR);
  });

  it('when the instant has milliseconds, then the offset is still whole (sub-second part ignored)', () => {
    expect(offsetMsAt(at('2026-01-15T12:00:00.999Z'), BERLIN)).toBe(HOUR);
    expect(offsetMsAt(at('1969-12-31T23:59:59.250Z'), BERLIN)).toBe(HOUR);
  });

  it('when the zone has a half-hour or a negative offset, then it is returned as such', () => {
    expect(offsetMsAt(at('2026-06-01T00:00:00Z'), 'Asia/Kolkata')).toBe(5.5 * HOUR);
    expect(offsetMsAt(at('2026-01-15T12:00:00Z'), 'America/New_York')).toBe(-5 * HOUR);
    expect(offsetMsAt(at('2026-01-15T12:00:00Z'), 'UTC')).toBe(0);
  });
});

describe('instantOfLocal', () => {
  it('when the local time exists once, then its instant is returned', () => {
    expect(instantOfLocal(BERLIN, 2026, 1, 15, 12, 30)).toBe(at('2026-01-15T11:30:00Z'));
    expect(instantOfLocal(BERLIN, 2026, 7, 15)).toBe(at('2026-07-14T22:00:00Z'));
  });

  it('when the local time falls in the spring-forward gap, then the end of the gap is returned', () => {
    // 02:30 on 2026-03-29 never happens in Berlin: 02:00 CET became 03:00 CEST at 01:00 UTC.
    expect(instantOfLocal(BERLIN, 2026, 3, 29, 2, 30)).toBe(at('2026-03-29T01:00:00Z'));
  });

  it('when the local time happens twice in the autumn overlap, then the earlier instant is returned', () => {
    expect(instantOfLocal(BERLIN, 2026, 10, 25, 2, 30)).toBe(at('2026-10-25T00:30:00Z'));
  });

  it('when the day or month overflows, then it rolls into the next month or year as Date.UTC does', () => {
    expect(instantOfLocal(BERLIN, 2026, 2, 29)).toBe(at('2026-02-28T23:00:00Z'));
    expect(instantOfLocal(BERLIN, 2026, 13, 1)).toBe(at('2026-12-31T23:00:00Z'));
    expect(instantOfLocal(BERLIN, 2026, 3, 0)).toBe(at('2026-02-27T23:00:00Z'));
  });

  it('when midnight itself is skipped (Santiago springs forward at 00:00), then the day starts at 01:00', () => {
    expect(instantOfLocal('America/Santiago', 2026, 9, 6)).toBe(at('2026-09-06T04:00:00Z'));
  });

  it('when the zone is Asia/Kolkata, then local midnight is 18:30 UTC the day before', () => {
    expect(instantOfLocal('Asia/Kolkata', 2026, 6, 1)).toBe(at('2026-05-31T18:30:00Z'));
  });
});
