import { describe, expect, it } from 'vitest';
import { axisSize, axisValues, tickDecimals, tickLabels } from './axis-ticks';

/** Multiples of `increment` from 0 up to `max`, as uPlot lays them out (with its float noise). */
const ticksOf = (increment: number, max: number): number[] => Array.from({ length: Math.round(max / increment) + 1 }, (_, i) => i * increment);
const distinct = (labels: string[]): boolean => new Set(labels).size === labels.length;

describe('tickDecimals', () => {
  it('when ticks are whole, halves, quarters or thousandths apart, then that many decimals', () => {
    expect([5, 10, 1, 0.5, 0.25, 0.1, 0.2, 0.05, 0.025, 0.002, 0.0025, 1e-4].map(tickDecimals)).toEqual([0, 0, 0, 1, 2, 1, 1, 2, 3, 3, 4, 4]);
  });

  it('when the increment is not a positive number, then no decimals', () => {
    expect([0, -1, Number.NaN, Number.POSITIVE_INFINITY].map(tickDecimals)).toEqual([0, 0, 0, 0]);
  });
});

describe('tickLabels', () => {
  it('when costs are a fraction of a cent apart, then each label differs (rounded to cents they repeated)', () => {
    const labels = tickLabels(ticksOf(0.002, 0.01), 0.002, { currency: 'EUR' }, 'en-US');
    expect(labels).toEqual(['€0.000', '€0.002', '€0.004', '€0.006', '€0.008', '€0.010']);
  });

  it('when costs are cents or whole amounts apart, then the currency reads as usual (de-DE: a no-break space before €)', () => {
    expect(tickLabels(ticksOf(0.5, 1.5), 0.5, { currency: 'EUR' }, 'en-US')).toEqual(['€0.00', '€0.50', '€1.00', '€1.50']);
    expect(tickLabels(ticksOf(5, 10), 5, { currency: 'EUR' }, 'en-US')).toEqual(['€0', '€5', '€10']);
    expect(tickLabels(ticksOf(0.0025, 0.005), 0.0025, { currency: 'EUR' }, 'de-DE')).toEqual(['0,0000\u00a0€', '0,0025\u00a0€', '0,0050\u00a0€']);
  });

  it('when the currency code is unknown to Intl, then the code follows the number', () => {
    expect(tickLabels([0, 0.005], 0.005, { currency: 'X1' }, 'en-US')).toEqual(['0.000 X1', '0.005 X1']);
  });

  it('when energy ticks are small, then each label differs', () => {
    const labels = tickLabels(ticksOf(0.005, 0.03), 0.005, 'kWh');
    expect(labels).toEqual(['0.000 kWh', '0.005 kWh', '0.010 kWh', '0.015 kWh', '0.020 kWh', '0.025 kWh', '0.030 kWh']);
    expect(tickLabels(ticksOf(50, 200), 50, 'kWh')).toEqual(['0 kWh', '50 kWh', '100 kWh', '150 kWh', '200 kWh']);
  });

  it('when power reaches a kilowatt, then the whole axis is in kW with the decimals its spacing needs', () => {
    expect(tickLabels(ticksOf(20, 100), 20, 'W')).toEqual(['0 W', '20 W', '40 W', '60 W', '80 W', '100 W']);
    expect(tickLabels(ticksOf(250, 1000), 250, 'W')).toEqual(['0.00 kW', '0.25 kW', '0.50 kW', '0.75 kW', '1.00 kW']);
    expect(tickLabels(ticksOf(2000, 12000), 2000, 'W')).toEqual(['0 kW', '2 kW', '4 kW', '6 kW', '8 kW', '10 kW', '12 kW']);
  });

  it('when any increment uPlot may choose is used, then neighbouring labels never repeat', () => {
    for (const increment of [1e-4, 2e-4, 2.5e-4, 5e-4, 0.001, 0.002, 0.0025, 0.005, 0.01, 0.02, 0.025, 0.05, 0.1, 0.2, 0.25, 0.5, 1, 2, 2.5, 5, 10, 25, 250, 2500]) {
      const ticks = ticksOf(increment, increment * 8);
      for (const unit of ['W', 'kWh', { currency: 'EUR' }] as const) expect(distinct(tickLabels(ticks, increment, unit, 'en-US')), `${increment} ${JSON.stringify(unit)}`).toBe(true);
    }
  });

  it('when zero comes as -0, then it reads as 0', () => {
    expect(tickLabels([-0, 0.5], 0.5, { currency: 'EUR' }, 'en-US')[0]).toBe('€0.00');
  });
});

describe('axis options', () => {
  it('when uPlot asks for labels, then the increment it passes sets the decimals', () => {
    const values = axisValues('kWh');
    expect(values(undefined as never, [0, 0.01, 0.02], 1, 30, 0.01)).toEqual(['0.00 kWh', '0.01 kWh', '0.02 kWh']);
  });

  it('when the labels are longer, then the axis is wider', () => {
    expect(axisSize(undefined as never, ['€0.0000'])).toBeGreaterThan(axisSize(undefined as never, ['€0']));
    expect(axisSize(undefined as never, null)).toBe(48);
  });
});
