import { describe, expect, it } from 'vitest';
import type { OperatorChart } from '../api/operator-types';
import { chartData, formatOperatorValue, latestValue, seriesName } from './operator-data';
import { isOperator, tokenRoles } from './token-roles';

const chart: OperatorChart = {
  id: 'up',
  title: 'Processes up',
  unit: '',
  series: [
    { label: 'job=broker', values: [1, 1, null] },
    { label: '', values: [null, null, null] },
  ],
};

describe('operator chart data', () => {
  it('when series share the time axis, then uPlot gets the times and one column per series', () => {
    expect(chartData([1, 2, 3], chart)).toEqual([[1, 2, 3], [1, 1, null], [null, null, null]]);
  });

  it('when the newest samples are gaps, then the latest value is the last real one', () => {
    expect(latestValue(chart.series[0]!)).toBe(1);
    expect(latestValue(chart.series[1]!)).toBeUndefined();
  });

  it('when a series has no labels, then it is named after its chart', () => {
    expect(seriesName(chart, chart.series[0]!)).toBe('broker');
    expect(seriesName(chart, { label: 'instance=127.0.0.1:9101, job=broker', values: [] })).toBe('broker · 127.0.0.1:9101');
    expect(seriesName(chart, { label: 'job=write, reason=invalid', values: [] })).toBe('write · reason=invalid');
    expect(seriesName(chart, { label: 'kind=timeout', values: [] })).toBe('kind=timeout');
    expect(seriesName(chart, chart.series[1]!)).toBe('Processes up');
  });

  it('when values are formatted, then the unit decides the shape', () => {
    expect(formatOperatorValue(undefined, 'containers/s')).toBe('–');
    expect(formatOperatorValue(12.345, 'containers/s')).toBe('12.3/s');
    expect(formatOperatorValue(0.0123, 'errors/s')).toBe('0.012/s');
    expect(formatOperatorValue(0.0042, 's')).toBe('4.2 ms');
    expect(formatOperatorValue(2.5, 's')).toBe('2.5 s');
    expect(formatOperatorValue(3 * 1024 * 1024, 'bytes')).toBe('3 MiB');
    expect(formatOperatorValue(1, '')).toBe('up');
    expect(formatOperatorValue(0, '')).toBe('down');
    expect(formatOperatorValue(12345, 'connections')).toBe('12,345');
  });
});

describe('token roles', () => {
  const token = (claims: object): string => `e30.${btoa(JSON.stringify(claims)).replace(/=+$/, '').replace(/\+/g, '-').replace(/\//g, '_')}.sig`;

  it('when the token carries the admin role, then its holder is an operator', () => {
    expect(isOperator(token({ roles: ['admin'] }))).toBe(true);
    expect(tokenRoles(token({ realm_access: { roles: ['admin', 'x'] } }))).toEqual(['admin', 'x']);
  });

  it('when the token has no roles, is missing or is garbage, then not', () => {
    expect(isOperator(token({ roles: [] }))).toBe(false);
    expect(isOperator(undefined)).toBe(false);
    expect(isOperator('a.!!!.c')).toBe(false);
  });
});
