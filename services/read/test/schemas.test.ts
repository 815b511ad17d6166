import { describe, expect, it } from 'vitest';
import { HttpError } from '../../../lib/http/http-app.js';
import { MAX_RANGE_S, parseRange, powerQuery, rangeQuery } from '../http/schemas.js';

function rangeError(query: { from: string; to: string }, maxSeconds: number): HttpError | undefined {
  try {
    parseRange(query, maxSeconds);
    return undefined;
  } catch (err) {
    return err instanceof HttpError ? err : undefined;
  }
}

describe('parseRange', () => {
  it('when from is before to, then both are returned as epoch milliseconds, offsets applied', () => {
    expect(parseRange({ from: '2026-03-29T00:00:00+01:00', to: '2026-03-30T00:00:00+02:00' }, MAX_RANGE_S.power)).toEqual({
      fromMs: Date.parse('2026-03-28T23:00:00Z'),
      toMs: Date.parse('2026-03-29T22:00:00Z'),
    });
  });

  it('when from equals to or is after it, then the answer is 400 invalid-range', () => {
    const same = rangeError({ from: '2026-01-01T00:00:00Z', to: '2026-01-01T00:00:00Z' }, MAX_RANGE_S.power);
    const reversed = rangeError({ from: '2026-01-02T00:00:00Z', to: '2026-01-01T00:00:00Z' }, MAX_RANGE_S.power);
    expect([same?.status, same?.code]).toEqual([400, 'invalid-range']);
    expect(reversed?.code).toBe('invalid-range');
  });

  it.each([
    ['from', { from: '9999-01-01T00:00:00Z', to: '9999-01-02T00:00:00Z' }],
    ['from', { from: '1677-09-21T00:00:00Z', to: '2026-01-01T00:00:00Z' }],
    ['to', { from: '2199-06-01T00:00:00Z', to: '2262-04-11T00:00:00Z' }],
    ['from', { from: '1969-12-31T23:59:59Z', to: '1970-01-02T00:00:00Z' }],
  ])('when %s lies outside the dates InfluxDB can hold with room to spare, then the answer is 400 invalid-request naming it', (field, query) => {
    const error = rangeError(query, MAX_RANGE_S.energy);
    expect([error?.status, error?.code]).toEqual([400, 'invalid-request']);
    expect(error?.message).toMatch(new RegExp(`^${field} \\(`));
  });

  it('when a range lies on the bounds, then it is accepted', () => {
    expect(rangeError({ from: '1970-01-01T00:00:00Z', to: '1971-01-01T00:00:00Z' }, MAX_RANGE_S.energy)).toBeUndefined();
    expect(rangeError({ from: '2199-12-01T00:00:00Z', to: '2200-01-01T00:00:00Z' }, MAX_RANGE_S.energy)).toBeUndefined();
  });

  it('when the same instant is written with two offsets, then it is an empty range and refused', () => {
    expect(rangeError({ from: '2026-01-01T01:00:00+01:00', to: '2026-01-01T00:00:00Z' }, MAX_RANGE_S.power)?.code).toBe('invalid-range');
  });

  it('when the range is longer than the endpoint allows, then it is refused with the limit in days', () => {
    const error = rangeError({ from: '2026-01-01T00:00:00Z', to: '2026-01-09T00:00:01Z' }, MAX_RANGE_S.completeness);
    expect(error?.status).toBe(400);
    expect(error?.message).toContain('at most 7 days');
  });

  it('when the range is exactly the limit, then it is accepted', () => {
    expect(rangeError({ from: '2026-01-01T00:00:00Z', to: '2026-01-08T00:00:00Z' }, MAX_RANGE_S.completeness)).toBeUndefined();
  });

  it('when N local days contain the day the clocks go back (25 hours), then a limit of N days admits them, and not a second more', () => {
    // October in Berlin: 31 days and an hour; the CSV export and hourly energy allow 31 days.
    expect(rangeError({ from: '2026-10-01T00:00:00+02:00', to: '2026-11-01T00:00:00+01:00' }, MAX_RANGE_S.export)).toBeUndefined();
    expect(rangeError({ from: '2026-10-01T00:00:00+02:00', to: '2026-11-01T00:00:00+01:00' }, MAX_RANGE_S['energy-hour'])).toBeUndefined();
    // The devices page's seven local days around it (completeness allows 7 days).
    expect(rangeError({ from: '2026-10-22T00:00:00+02:00', to: '2026-10-29T00:00:00+01:00' }, MAX_RANGE_S.completeness)).toBeUndefined();
    expect(rangeError({ from: '2026-10-22T00:00:00+02:00', to: '2026-10-29T00:00:01+01:00' }, MAX_RANGE_S.completeness)?.message).toContain('at most 7 days');
  });
});

describe('query schemas', () => {
  it('when a date-time has no offset, then it is rejected (local time would be ambiguous)', () => {
    expect(rangeQuery.safeParse({ from: '2026-01-01T00:00:00', to: '2026-01-02T00:00:00Z' }).success).toBe(false);
  });

  it('when a resolution is given as text, then it is read as whole seconds', () => {
    expect(powerQuery.parse({ from: '2026-01-01T00:00:00Z', to: '2026-01-02T00:00:00Z', resolution: '60' }).resolution).toBe(60);
    expect(powerQuery.safeParse({ from: '2026-01-01T00:00:00Z', to: '2026-01-02T00:00:00Z', resolution: '1.5' }).success).toBe(false);
    expect(powerQuery.safeParse({ from: '2026-01-01T00:00:00Z', to: '2026-01-02T00:00:00Z', resolution: '0' }).success).toBe(false);
  });

  it('when split is given, then only agent is accepted; without it the answer is per device', () => {
    const range = { from: '2026-01-01T00:00:00Z', to: '2026-01-02T00:00:00Z' };
    expect(powerQuery.parse({ ...range, split: 'agent' }).split).toBe('agent');
    expect(powerQuery.parse(range).split).toBeUndefined();
    for (const split of ['device', 'Agent', '', 'true']) expect(powerQuery.safeParse({ ...range, split }).success, split).toBe(false);
  });
});
