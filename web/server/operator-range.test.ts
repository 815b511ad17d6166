import { describe, expect, it } from 'vitest';
import { alignMatrix, MAX_POINTS_PER_SERIES, OPERATOR_RANGES, seriesLabel, stepForRange } from './operator-range.js';
import { summariseAlerts, summariseTargets } from './operator-status.js';

describe('stepForRange', () => {
  it('when the range is an hour, then the step is the 15 s scrape interval', () => {
    expect(stepForRange(OPERATOR_RANGES['1h'])).toBe(15);
  });

  it('when the range grows, then the step grows to a nice value that keeps the points under the cap', () => {
    expect(stepForRange(OPERATOR_RANGES['6h'])).toBe(120);
    expect(stepForRange(OPERATOR_RANGES['24h'])).toBe(300);
    for (const rangeS of Object.values(OPERATOR_RANGES)) expect(rangeS / stepForRange(rangeS)).toBeLessThanOrEqual(MAX_POINTS_PER_SERIES);
  });

  it('when the range is beyond every nice step, then the step still respects the cap', () => {
    expect(stepForRange(30 * 24 * 3_600)).toBe(8_640);
  });
});

describe('alignMatrix', () => {
  it('when samples miss grid times, then those stay null and the rest land on their index', () => {
    const chart = alignMatrix([{ metric: {}, values: [[100, '1'], [130, '3.5']] }], 100, 145, 15);
    expect(chart.times).toEqual([100, 115, 130, 145]);
    expect(chart.series).toEqual([{ label: '', values: [1, null, 3.5, null] }]);
  });

  it('when a value is NaN or Inf, then it is a gap, not a number JSON cannot carry', () => {
    const chart = alignMatrix([{ metric: { job: 'w' }, values: [[0, 'NaN'], [15, '+Inf'], [30, '2']] }], 0, 30, 15);
    expect(chart.series[0]?.values).toEqual([null, null, 2]);
  });

  it('when several series come back, then they are labelled by their labels and sorted', () => {
    const chart = alignMatrix(
      [
        { metric: { job: 'write', __name__: 'up', instance: 'b' }, values: [] },
        { metric: { job: 'broker', instance: 'a' }, values: [] },
      ],
      0,
      0,
      15,
    );
    expect(chart.series.map((s) => s.label)).toEqual(['instance=a, job=broker', 'instance=b, job=write']);
    expect(seriesLabel({ reason: 'x', job: 'j' })).toBe('job=j, reason=x');
  });
});

describe('summariseAlerts', () => {
  it('when alerts are inactive, pending and firing, then firing come first and inactive are left out', () => {
    const alerts = summariseAlerts([
      { labels: { alertname: 'A', severity: 'warning' }, annotations: { summary: 'a' }, state: 'pending', activeAt: '2026-01-01T00:00:00Z' },
      { labels: { alertname: 'B' }, annotations: {}, state: 'inactive' },
      { labels: { alertname: 'C', severity: 'critical' }, annotations: { summary: 'c', description: 'cc' }, state: 'firing', activeAt: '2026-01-01T00:00:00Z', value: '1' },
    ]);
    expect(alerts.map((a) => [a.name, a.state, a.summary])).toEqual([
      ['C', 'firing', 'c'],
      ['A', 'pending', 'a'],
    ]);
    expect(alerts[0]).toMatchObject({ severity: 'critical', description: 'cc', value: '1' });
  });
});

describe('summariseTargets', () => {
  it('when targets are up, down or not yet scraped, then each job counts its up and down ones', () => {
    const { targets, jobs } = summariseTargets([
      { labels: { job: 'write', instance: 'b' }, health: 'down', lastError: 'refused' },
      { labels: { job: 'broker', instance: 'a' }, health: 'up', lastError: '' },
      { labels: { job: 'write', instance: 'a' }, health: 'up', lastError: '' },
      { labels: { job: 'read', instance: 'a' }, health: 'unknown', lastError: '' },
    ]);
    expect(targets.map((t) => `${t.job}/${t.instance}`)).toEqual(['broker/a', 'read/a', 'write/a', 'write/b']);
    expect(jobs).toEqual([
      { job: 'broker', up: 1, down: 0 },
      { job: 'read', up: 0, down: 0 },
      { job: 'write', up: 1, down: 1 },
    ]);
  });
});
