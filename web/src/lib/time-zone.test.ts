import { describe, expect, it } from 'vitest';
import { isoInZone, sameLocalTime, spanStart } from './time-zone';

const BERLIN = 'Europe/Berlin';

describe('household calendar', () => {
  it('when asking for the local day, then it starts at local midnight with the offset of that day', () => {
    const noon = Date.parse('2026-03-29T10:00:00Z'); // the day clocks go forward in Berlin
    expect(isoInZone(spanStart(noon, 'day', BERLIN), BERLIN)).toBe('2026-03-29T00:00:00+01:00');
    expect(isoInZone(spanStart(noon, 'day', BERLIN, 1), BERLIN)).toBe('2026-03-30T00:00:00+02:00');
  });

  it('when asking for week, month and year, then they start on Monday, the 1st and 1 January', () => {
    const t = Date.parse('2026-11-26T12:00:00Z'); // a Thursday
    expect(isoInZone(spanStart(t, 'week', BERLIN), BERLIN)).toBe('2026-11-23T00:00:00+01:00');
    expect(isoInZone(spanStart(t, 'month', BERLIN, -1), BERLIN)).toBe('2026-10-01T00:00:00+02:00');
    expect(isoInZone(spanStart(t, 'year', BERLIN), BERLIN)).toBe('2026-01-01T00:00:00+01:00');
  });

  it('when the zone is west of UTC, then the local day is not the UTC day', () => {
    const t = Date.parse('2026-07-01T02:00:00Z'); // still 30 June in New York
    expect(isoInZone(spanStart(t, 'day', 'America/New_York'), 'America/New_York')).toBe('2026-06-30T00:00:00-04:00');
  });

  it('when moving to the same local time a span later, then clock changes, month lengths and leap days keep the time and date', () => {
    const at = (iso: string, span: 'day' | 'week' | 'month' | 'year', shift = 1): string => isoInZone(sameLocalTime(Date.parse(iso), span, shift, BERLIN), BERLIN);
    expect(at('2026-03-28T18:00:00+01:00', 'day')).toBe('2026-03-29T18:00:00+02:00'); // 23 hours later
    expect(at('2026-03-29T18:00:00+02:00', 'day')).toBe('2026-03-30T18:00:00+02:00');
    expect(at('2026-10-24T18:30:15+02:00', 'week')).toBe('2026-10-31T18:30:15+01:00');
    expect(at('2026-02-28T23:00:00+01:00', 'month')).toBe('2026-03-28T23:00:00+01:00');
    expect(at('2023-03-01T00:00:00+01:00', 'year')).toBe('2024-03-01T00:00:00+01:00');
    expect(at('2026-03-30T06:00:00+02:00', 'day', -1)).toBe('2026-03-29T06:00:00+02:00');
  });
});
