import type uPlot from 'uplot';
import { describe, expect, it } from 'vitest';
import { barChartOptions, barUnderCursor, liveChartOptions, powerChartOptions } from './chart-options';

/** The y axis labels a chart's options give for ticks `increment` apart. */
function yLabels(options: Omit<uPlot.Options, 'width' | 'height'>, ticks: number[], increment: number): unknown {
  const values = options.axes?.[1]?.values;
  if (typeof values !== 'function') throw new Error('no y axis formatter');
  return values(undefined as never, ticks, 1, 30, increment);
}

describe('chart axes', () => {
  it('when a day costs a few cents, then the cost axis labels differ (they read €0.01, €0.01, €0.00…)', () => {
    const labels = yLabels(barChartOptions('cost', 'EUR', 'Europe/Berlin', false, 'day'), [0, 0.002, 0.004, 0.006, 0.008, 0.01], 0.002) as string[];
    expect(new Set(labels).size).toBe(6);
  });

  it('when little energy is used, then the energy axis labels differ', () => {
    const labels = yLabels(barChartOptions('energy', 'EUR', 'Europe/Berlin', false, 'hour'), [0, 0.005, 0.01, 0.015], 0.005) as string[];
    expect(labels).toEqual(['0.000 kWh', '0.005 kWh', '0.010 kWh', '0.015 kWh']);
  });

  it('when power passes a kilowatt, then the power axes stay in one unit', () => {
    for (const options of [powerChartOptions(['fridge'], false, 'Europe/Berlin'), liveChartOptions('Europe/Berlin', 600)]) {
      expect(yLabels(options, [0, 500, 1000, 1500], 500)).toEqual(['0.0 kW', '0.5 kW', '1.0 kW', '1.5 kW']);
    }
  });
});

const BERLIN = 'Europe/Berlin';
/** Seconds of a Berlin wall-clock time in winter (UTC+1). */
const berlin = (day: number, hour: number, minute = 0): number => Date.UTC(2025, 0, day, hour - 1, minute) / 1000;
const chartWith = (starts: number[]): uPlot => ({ data: [starts] }) as unknown as uPlot;

describe('the bar under the cursor', () => {
  it('when the cursor is over the right half of an hour bar, then that bar is read, not the next one uPlot finds nearest', () => {
    const dataIdx = barUnderCursor('hour', BERLIN);
    const u = chartWith([berlin(15, 13), berlin(15, 14), berlin(15, 15)]);
    expect(dataIdx(u, 1, 2, berlin(15, 14, 50))).toBe(1);
    expect(dataIdx(u, 0, 1, berlin(15, 14, 0))).toBe(1);
    expect(dataIdx(u, 1, 0, berlin(15, 12, 30))).toBeNull();
  });

  it('when the hour after a bar has none, then the cursor there reads nothing rather than the bar before', () => {
    const dataIdx = barUnderCursor('hour', BERLIN);
    expect(dataIdx(chartWith([berlin(15, 13), berlin(15, 16)]), 1, 0, berlin(15, 14, 20))).toBeNull();
  });

  it("when bars are days or months, then each covers the household's local day or month", () => {
    const days = barUnderCursor('day', BERLIN);
    expect(days(chartWith([berlin(15, 0), berlin(17, 0)]), 1, 0, berlin(15, 23, 59))).toBe(0);
    expect(days(chartWith([berlin(15, 0), berlin(17, 0)]), 1, 0, berlin(16, 0, 1))).toBeNull();
    const months = barUnderCursor('month', BERLIN);
    const january = berlin(1, 0);
    expect(months(chartWith([january]), 1, 0, berlin(31, 23))).toBe(0);
    expect(months(chartWith([january]), 1, 0, Date.UTC(2025, 1, 1, 0) / 1000)).toBeNull();
  });
});

describe('times at the cursor', () => {
  /** The label series 0 gives for `x` (s). */
  const timeLabel = (options: Omit<uPlot.Options, 'width' | 'height'>, x: number): string => {
    const value = options.series[0]?.value;
    if (typeof value !== 'function') throw new Error('no time formatter');
    return String(value(undefined as never, x, 0, 0));
  };

  it("when the cursor is on a chart, then the time is the household's, whatever the browser's zone", () => {
    const noonUtc = Date.UTC(2025, 0, 15, 12, 0, 0) / 1000;
    expect(timeLabel(liveChartOptions('Asia/Tokyo', 600), noonUtc)).toBe(new Date(noonUtc * 1000).toLocaleTimeString(undefined, { timeZone: 'Asia/Tokyo' }));
    expect(timeLabel(liveChartOptions('Asia/Tokyo', 600), noonUtc)).toMatch(/^9:00:00\sPM$|^21:00:00$/);
  });

  it('when the bars are hours, days or months, then the label names the hour span, the day or the month', () => {
    const hourLabel = timeLabel(barChartOptions('energy', 'EUR', BERLIN, false, 'hour'), berlin(15, 14));
    expect(hourLabel).toMatch(/^(02:00\sPM|14:00)–(03:00\sPM|15:00)$/);
    expect(timeLabel(barChartOptions('energy', 'EUR', BERLIN, false, 'month'), berlin(1, 0))).toContain('January');
    expect(timeLabel(barChartOptions('energy', 'EUR', BERLIN, false, 'day'), berlin(15, 0))).toMatch(/15/);
  });
});
