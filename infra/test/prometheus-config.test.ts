import { describe, expect, it } from 'vitest';
import { overrideAlertFor, promDuration, renderPrometheusConfig, renderTargets } from '../prometheus-config.js';
import { prometheusEnabled } from '../prometheus.js';

describe('prometheus config', () => {
  it('when durations are whole seconds, then they are written in s, else in ms', () => {
    expect(promDuration(15_000)).toBe('15s');
    expect(promDuration(500)).toBe('500ms');
    expect(() => promDuration(0)).toThrow(/positive/);
  });

  it('when targets share a job, then they form one group labelled with that job', () => {
    const groups: unknown = JSON.parse(renderTargets([
      { job: 'broker', port: 9101 },
      { job: 'write', port: 9102 },
      { job: 'broker', port: 9103, host: '10.0.0.2' },
    ]));
    expect(groups).toEqual([
      { targets: ['127.0.0.1:9101', '10.0.0.2:9103'], labels: { job: 'broker' } },
      { targets: ['127.0.0.1:9102'], labels: { job: 'write' } },
    ]);
  });

  it('when a target is malformed, then rendering refuses it', () => {
    expect(() => renderTargets([{ job: 'Bad Job', port: 1 }])).toThrow(/job name/);
    expect(() => renderTargets([{ job: 'broker', port: 70_000 }])).toThrow(/port/);
  });

  it('when the scrape interval is short, then the scrape timeout follows it', () => {
    const text = renderPrometheusConfig({ ownPort: 9090, targetsFile: '/t.json', ruleFilesGlob: '/r/*.yml', scrapeIntervalMs: 1_000, evaluationIntervalMs: 1_000 });
    const config = JSON.parse(text.slice(text.indexOf('\n') + 1)) as { global: Record<string, unknown> };
    expect(config.global).toMatchObject({ scrape_interval: '1s', scrape_timeout: '1s', evaluation_interval: '1s' });
  });

  it('when `for:` is overridden, then only for: lines change', () => {
    const text = '    rules:\n      - alert: A\n        expr: up == 0 # for: 5m in words\n        for: 5m\n';
    expect(overrideAlertFor(text, 3_000)).toBe('    rules:\n      - alert: A\n        expr: up == 0 # for: 5m in words\n        for: 3s\n');
  });

  it('when EM_PROMETHEUS is off (any case), then monitoring is switched off; unset or anything else means on', () => {
    expect(prometheusEnabled({ EM_PROMETHEUS: 'off' })).toBe(false);
    expect(prometheusEnabled({ EM_PROMETHEUS: ' OFF ' })).toBe(false);
    expect(prometheusEnabled({})).toBe(true);
    expect(prometheusEnabled({ EM_PROMETHEUS: 'on' })).toBe(true);
  });
});
