import { describe, expect, it } from 'vitest';
import { ceilTo, DAY_MS, floorTo, HOUR_MS, influxDuration, MINUTE_MS, parseDuration, parseInfluxShowDuration, SECOND_MS, WEEK_MS } from '../domain/durations.js';

describe('parseDuration', () => {
  it('when an operator writes a number and a unit, then it is read in milliseconds', () => {
    expect(parseDuration('30d')).toBe(30 * DAY_MS);
    expect(parseDuration('52w')).toBe(52 * WEEK_MS);
    expect(parseDuration('90m')).toBe(90 * MINUTE_MS);
    expect(parseDuration('12h')).toBe(12 * HOUR_MS);
    expect(parseDuration('45s')).toBe(45 * SECOND_MS);
  });

  it('when the text has surrounding spaces, then they are ignored', () => {
    expect(parseDuration(' 7d ')).toBe(7 * DAY_MS);
  });

  it('when the text is INF (any case) or 0, then the duration is infinite', () => {
    expect(parseDuration('INF')).toBe(Infinity);
    expect(parseDuration('inf')).toBe(Infinity);
    expect(parseDuration('0')).toBe(Infinity);
  });

  it('when a zero duration has a unit (0d), then it is infinite too, as InfluxDB reads it', () => {
    expect(parseDuration('0d')).toBe(Infinity);
    expect(parseDuration('0s')).toBe(Infinity);
  });

  it('when the text is not a duration, then the result is undefined', () => {
    for (const text of ['', 'd', '30', '1.5h', '-1d', '30 d', '30D', '1y', '10ms', '2h30m']) expect(parseDuration(text)).toBeUndefined();
  });
});

describe('influxDuration', () => {
  it('when a duration is formatted, then the largest unit that divides it is used', () => {
    expect(influxDuration(WEEK_MS)).toBe('1w');
    expect(influxDuration(30 * DAY_MS)).toBe('30d');
    expect(influxDuration(36 * HOUR_MS)).toBe('36h');
    expect(influxDuration(90 * MINUTE_MS)).toBe('90m');
    expect(influxDuration(61 * SECOND_MS)).toBe('61s');
  });

  it('when no unit divides it, then milliseconds are written', () => {
    expect(influxDuration(1_500)).toBe('1500ms');
  });

  it('when the duration is infinite, then INF is written', () => {
    expect(influxDuration(Infinity)).toBe('INF');
  });

  it('when an operator duration is parsed and formatted again, then the same length comes back', () => {
    for (const text of ['30d', '52w', '520w', '2d', '12h']) expect(parseDuration(influxDuration(parseDuration(text) ?? 0))).toBe(parseDuration(text));
  });
});

describe('parseInfluxShowDuration', () => {
  it('when InfluxDB shows hours, minutes and seconds, then they are summed', () => {
    expect(parseInfluxShowDuration('720h0m0s')).toBe(30 * DAY_MS);
    expect(parseInfluxShowDuration('1h30m15s')).toBe(HOUR_MS + 30 * MINUTE_MS + 15 * SECOND_MS);
  });

  it('when InfluxDB shows 0s (infinite retention), then the duration is infinite', () => {
    expect(parseInfluxShowDuration('0s')).toBe(Infinity);
    expect(parseInfluxShowDuration('0')).toBe(Infinity);
  });
});

describe('floorTo and ceilTo', () => {
  it('when a time is rounded to a step, then it lands on the epoch-based grid', () => {
    expect(floorTo(3_661_000, HOUR_MS)).toBe(HOUR_MS);
    expect(ceilTo(3_661_000, HOUR_MS)).toBe(2 * HOUR_MS);
  });

  it('when the time is already on the grid, then it is unchanged', () => {
    expect(floorTo(2 * HOUR_MS, HOUR_MS)).toBe(2 * HOUR_MS);
    expect(ceilTo(2 * HOUR_MS, HOUR_MS)).toBe(2 * HOUR_MS);
  });

  it('when the time is before the epoch, then floor still rounds down', () => {
    expect(floorTo(-1, SECOND_MS)).toBe(-SECOND_MS);
  });
});
