import { describe, expect, it } from 'vitest';
import { DAY_MS, HOUR_MS, MINUTE_MS, SECOND_MS } from '../domain/durations.js';
import { finestStepMs, oldestReadableMs, planSources, rollupHorizonMs, type SourceCatalogue } from '../domain/source-plan.js';

const at = (iso: string): number => Date.parse(iso);
const NOW = at('2026-06-01T10:05:30Z');

// Shaped like influx/rollup-layout.ts: raw for 7 days, 1-minute rollups for 90 days, hours forever.
const catalogue: SourceCatalogue = {
  rawRetentionMs: 7 * DAY_MS,
  rollups: [
    { name: 'rollup_1h', stepMs: HOUR_MS, lagMs: 7 * MINUTE_MS, retentionMs: Infinity },
    { name: 'rollup_1m', stepMs: MINUTE_MS, lagMs: 2 * MINUTE_MS, retentionMs: 90 * DAY_MS },
  ],
};

describe('rollupHorizonMs', () => {
  it('when a rollup lags, then its horizon is now minus the lag, floored to its step', () => {
    expect(rollupHorizonMs(catalogue.rollups[0]!, NOW)).toBe(at('2026-06-01T09:00:00Z'));
    expect(rollupHorizonMs(catalogue.rollups[1]!, NOW)).toBe(at('2026-06-01T10:03:00Z'));
  });
});

describe('planSources', () => {
  it('when the step is one hour, then hours come from rollup_1h, the last closed-but-unwritten hour from rollup_1m, the newest part raw', () => {
    const plan = planSources(catalogue, { fromMs: at('2026-05-01T00:00:00Z'), toMs: at('2026-06-01T11:00:00Z'), stepMs: HOUR_MS, nowMs: NOW });
    expect(plan).toEqual([
      { source: 'rollup_1h', fromMs: at('2026-05-01T00:00:00Z'), toMs: at('2026-06-01T09:00:00Z') },
      { source: 'rollup_1m', fromMs: at('2026-06-01T09:00:00Z'), toMs: at('2026-06-01T10:00:00Z') },
      { source: 'raw', fromMs: at('2026-06-01T10:00:00Z'), toMs: at('2026-06-01T11:00:00Z') },
    ]);
  });

  it('when the step is five minutes, then rollup_1h (which does not divide it) is skipped', () => {
    const plan = planSources(catalogue, { fromMs: at('2026-06-01T08:00:00Z'), toMs: at('2026-06-01T10:10:00Z'), stepMs: 5 * MINUTE_MS, nowMs: NOW });
    expect(plan).toEqual([
      // 10:03 floored to the 5-minute grid: no bucket is split between two sources.
      { source: 'rollup_1m', fromMs: at('2026-06-01T08:00:00Z'), toMs: at('2026-06-01T10:00:00Z') },
      { source: 'raw', fromMs: at('2026-06-01T10:00:00Z'), toMs: at('2026-06-01T10:10:00Z') },
    ]);
  });

  it('when the step is ten seconds, then no rollup divides it and everything is raw', () => {
    const range = { fromMs: at('2026-06-01T09:00:00Z'), toMs: at('2026-06-01T10:00:00Z'), stepMs: 10 * SECOND_MS, nowMs: NOW };
    expect(planSources(catalogue, range)).toEqual([{ source: 'raw', fromMs: range.fromMs, toMs: range.toMs }]);
  });

  it('when the whole range is older than every horizon, then a single rollup answers it', () => {
    const range = { fromMs: at('2026-01-01T00:00:00Z'), toMs: at('2026-02-01T00:00:00Z'), stepMs: DAY_MS, nowMs: NOW };
    expect(planSources(catalogue, range)).toEqual([{ source: 'rollup_1h', fromMs: range.fromMs, toMs: range.toMs }]);
  });

  it('when the whole range is newer than the rollups, then raw answers it', () => {
    const range = { fromMs: at('2026-06-01T10:04:00Z'), toMs: at('2026-06-01T10:06:00Z'), stepMs: MINUTE_MS, nowMs: NOW };
    expect(planSources(catalogue, range)).toEqual([{ source: 'raw', fromMs: range.fromMs, toMs: range.toMs }]);
  });

  it('when segments are planned, then they are contiguous and cover the range exactly', () => {
    const range = { fromMs: at('2026-05-31T00:00:00Z'), toMs: at('2026-06-01T12:00:00Z'), stepMs: 2 * HOUR_MS, nowMs: NOW };
    const plan = planSources(catalogue, range);
    expect(plan[0]?.fromMs).toBe(range.fromMs);
    expect(plan.at(-1)?.toMs).toBe(range.toMs);
    for (let i = 1; i < plan.length; i += 1) expect(plan[i]?.fromMs).toBe(plan[i - 1]?.toMs);
    for (const segment of plan) expect(segment.fromMs % range.stepMs).toBe(0);
  });
});

describe('finestStepMs', () => {
  it('when the range starts inside the raw retention, then one-second data is available', () => {
    expect(finestStepMs(catalogue, NOW - 7 * DAY_MS, NOW)).toBe(SECOND_MS);
  });

  it('when the range starts just beyond the raw retention, then one-minute rollups are the finest', () => {
    expect(finestStepMs(catalogue, NOW - 7 * DAY_MS - 1, NOW)).toBe(MINUTE_MS);
    expect(finestStepMs(catalogue, NOW - 90 * DAY_MS, NOW)).toBe(MINUTE_MS);
  });

  it('when the range starts beyond the one-minute retention, then hours are the finest', () => {
    expect(finestStepMs(catalogue, NOW - 90 * DAY_MS - 1, NOW)).toBe(HOUR_MS);
    expect(finestStepMs(catalogue, at('2000-01-01T00:00:00Z'), NOW)).toBe(HOUR_MS);
  });

  it('when no rollup keeps data that old, then the coarsest rollup step is still returned', () => {
    const finite: SourceCatalogue = { rawRetentionMs: DAY_MS, rollups: [{ name: 'rollup_1h', stepMs: HOUR_MS, lagMs: 0, retentionMs: 30 * DAY_MS }] };
    expect(finestStepMs(finite, NOW - 365 * DAY_MS, NOW)).toBe(HOUR_MS);
  });

  it('when raw data is kept forever, then one second is always available', () => {
    expect(finestStepMs({ ...catalogue, rawRetentionMs: Infinity }, 0, NOW)).toBe(SECOND_MS);
  });
});

describe('oldestReadableMs', () => {
  it('when a step is finer than an hour, then only raw data and the 1-minute rollup answer it, back to the longer of their retentions', () => {
    expect(oldestReadableMs(catalogue, 15 * MINUTE_MS, NOW)).toBe(NOW - 90 * DAY_MS);
    expect(oldestReadableMs(catalogue, HOUR_MS, NOW)).toBe(-Infinity);
    expect(oldestReadableMs({ ...catalogue, rawRetentionMs: Infinity }, 15 * MINUTE_MS, NOW)).toBe(-Infinity);
  });
});
