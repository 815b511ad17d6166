import { describe, expect, it } from 'vitest';
import { DAY_MS, HOUR_MS, MINUTE_MS, SECOND_MS, WEEK_MS } from '../domain/durations.js';
import { chooseResolution, RESOLUTION_LADDER_MS, type ResolutionChoice, type ResolutionRequest } from '../domain/resolution.js';

const FROM = Date.parse('2026-06-01T00:00:00Z');

function request(spanMs: number, extra: Partial<ResolutionRequest> = {}): ResolutionRequest {
  return { fromMs: FROM, toMs: FROM + spanMs, finestMs: SECOND_MS, targetPoints: 1_500, maxPoints: 10_000, ...extra };
}

function reasonOf(choice: ResolutionChoice): string | undefined {
  return choice.ok ? undefined : choice.reason;
}

describe('chooseResolution without an explicit step', () => {
  it('when a day is asked for with 1,500 target points, then the step is one minute (1,440 points)', () => {
    expect(chooseResolution(request(DAY_MS))).toEqual({ ok: true, stepMs: MINUTE_MS });
  });

  it('when an hour is asked for, then the step is the smallest round step giving at most the target (10 s)', () => {
    expect(chooseResolution(request(HOUR_MS))).toEqual({ ok: true, stepMs: 10 * SECOND_MS });
  });

  it('when a tiny range is asked for, then the step never goes below one second', () => {
    expect(chooseResolution(request(10 * SECOND_MS))).toEqual({ ok: true, stepMs: SECOND_MS });
  });

  it('when the range is only kept as one-minute rollups, then the step is at least a minute', () => {
    expect(chooseResolution(request(HOUR_MS, { finestMs: MINUTE_MS }))).toEqual({ ok: true, stepMs: MINUTE_MS });
  });

  it('when the range is only kept as hourly rollups, then the step is at least an hour', () => {
    expect(chooseResolution(request(DAY_MS, { finestMs: HOUR_MS }))).toEqual({ ok: true, stepMs: HOUR_MS });
  });

  it('when the range is ten years, then the step is a week and the points stay under the target', () => {
    const span = 10 * 366 * DAY_MS;
    const choice = chooseResolution(request(span, { finestMs: HOUR_MS }));
    expect(choice).toEqual({ ok: true, stepMs: WEEK_MS });
    expect(Math.ceil(span / WEEK_MS)).toBeLessThanOrEqual(1_500);
  });

  it('when ranges from a second to ten years are chosen for, then the points never exceed the target', () => {
    for (const span of [SECOND_MS, MINUTE_MS, HOUR_MS, 6 * HOUR_MS, DAY_MS, WEEK_MS, 31 * DAY_MS, 366 * DAY_MS, 3660 * DAY_MS]) {
      const choice = chooseResolution(request(span));
      expect(choice.ok).toBe(true);
      if (choice.ok) expect(Math.ceil(span / choice.stepMs)).toBeLessThanOrEqual(1_500);
    }
  });

  it('when no ladder step reaches the wanted spacing, then the coarsest (a week) is used', () => {
    expect(chooseResolution(request(100 * 366 * DAY_MS))).toEqual({ ok: true, stepMs: WEEK_MS });
  });

  it('when the ladder is read, then it is ascending', () => {
    expect([...RESOLUTION_LADDER_MS].sort((a, b) => a - b)).toEqual(RESOLUTION_LADDER_MS);
  });
});

describe('chooseResolution with an explicit step', () => {
  it('when the step is a multiple of the finest and within the max points, then it is used as asked', () => {
    expect(chooseResolution(request(DAY_MS, { requestedMs: 20 * SECOND_MS }))).toEqual({ ok: true, stepMs: 20 * SECOND_MS });
  });

  it('when the step is finer than the stored data, then it is refused with the finest step in the reason', () => {
    const choice = chooseResolution(request(DAY_MS, { requestedMs: 30 * SECOND_MS, finestMs: MINUTE_MS }));
    expect(reasonOf(choice)).toContain('multiple of 60s');
  });

  it('when the step is not a multiple of the finest, then it is refused', () => {
    expect(chooseResolution(request(DAY_MS, { requestedMs: 90 * SECOND_MS, finestMs: MINUTE_MS })).ok).toBe(false);
  });

  it('when the step gives more than the max points, then it is refused with the count in the reason', () => {
    const choice = chooseResolution(request(DAY_MS, { requestedMs: SECOND_MS }));
    expect(reasonOf(choice)).toContain('86400 points');
  });

  it('when the step gives exactly the max points, then it is accepted', () => {
    expect(chooseResolution(request(10_000 * SECOND_MS, { requestedMs: SECOND_MS })).ok).toBe(true);
    expect(chooseResolution(request(10_001 * SECOND_MS, { requestedMs: SECOND_MS })).ok).toBe(false);
  });
});
