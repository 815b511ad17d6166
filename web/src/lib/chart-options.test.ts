import type uPlot from 'uplot';
import { describe, expect, it } from 'vitest';
import { barChartOptions, liveChartOptions, powerChartOptions } from './chart-options';

/** The y axis labels a chart's options give for ticks `increment` apart. */
function yLabels(options: Omit<uPlot.Options, 'width' | 'height'>, ticks: number[], increment: number): unknown {
  const values = options.axes?.[1]?.values;
  if (typeof values !== 'function') throw new Error('no y axis formatter');
  return values(undefined as never, ticks, 1, 30, increment);
}

describe('chart axes', () => {
  it('when a day costs a few cents, then the cost axis labels differ (they read €0.01, €0.01, €0.00…)', () => {
    const labels = yLabels(barChartOptions('cost', 'EUR', 'Europe/Berlin', false), [0, 0.002, 0.004, 0.006, 0.008, 0.01], 0.002) as string[];
    expect(new Set(labels).size).toBe(6);
  });

  it('when little energy is used, then the energy axis labels differ', () => {
    const labels = yLabels(barChartOptions('energy', 'EUR', 'Europe/Berlin', false), [0, 0.005, 0.01, 0.015], 0.005) as string[];
    expect(labels).toEqual(['0.000 kWh', '0.005 kWh', '0.010 kWh', '0.015 kWh']);
  });

  it('when power passes a kilowatt, then the power axes stay in one unit', () => {
    for (const options of [powerChartOptions(['fridge'], false, 'Europe/Berlin'), liveChartOptions('Europe/Berlin', 600)]) {
      expect(yLabels(options, [0, 500, 1000, 1500], 500)).toEqual(['0.0 kW', '0.5 kW', '1.0 kW', '1.5 kW']);
    }
  });
});
