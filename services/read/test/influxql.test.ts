import { describe, expect, it } from 'vitest';
import { ident, qualified, step, str, timeRange } from '../influx/influxql.js';

describe('str', () => {
  it('when a value is plain, then it is single-quoted', () => {
    expect(str('kettle')).toBe("'kettle'");
  });

  it('when a value holds single quotes, then they are backslash-escaped so the literal cannot be closed early', () => {
    expect(str("x' OR household = 'other")).toBe("'x\\' OR household = \\'other'");
  });

  it('when a value holds backslashes, then they are doubled first, so a trailing backslash cannot escape the closing quote', () => {
    expect(str('a\\')).toBe("'a\\\\'");
    expect(str("a\\'")).toBe("'a\\\\\\''");
  });

  it('when a value holds double quotes, then they are left as they are', () => {
    expect(str('say "hi"')).toBe(`'say "hi"'`);
  });
});

describe('ident', () => {
  it('when a name is given, then it is double-quoted with inner double quotes and backslashes escaped', () => {
    expect(ident('value')).toBe('"value"');
    expect(ident('a"b')).toBe('"a\\"b"');
    expect(ident('a\\b')).toBe('"a\\\\b"');
  });

  it('when a database, policy and measurement are qualified, then each is quoted and joined by dots', () => {
    expect(qualified('em', 'rollup_1h', 'reading')).toBe('"em"."rollup_1h"."reading"');
  });
});

describe('timeRange and step', () => {
  it('when a range is written, then it is half-open with millisecond literals', () => {
    expect(timeRange(1_000, 2_000)).toBe('time >= 1000ms AND time < 2000ms');
  });

  it('when the bounds have fractions, then the range is widened to whole milliseconds', () => {
    expect(timeRange(1_000.7, 1_999.2)).toBe('time >= 1000ms AND time < 2000ms');
  });

  it('when a GROUP BY step is written, then it is in milliseconds', () => {
    expect(step(3_600_000)).toBe('3600000ms');
  });
});
