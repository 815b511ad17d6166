import { describe, expect, it } from 'vitest';
import { isoInZone, spanStart } from './time-zone';

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
});
