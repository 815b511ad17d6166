import type uPlot from 'uplot';
import { describe, expect, it } from 'vitest';
import { readoutAt } from './chart-readout';

const chart = {} as uPlot;
const watts = (_u: uPlot, v: number): string => `${v} W`;
const series: uPlot.Series[] = [
  { value: (_u, x) => `t=${x}` },
  { label: 'fridge', stroke: '#1f77b4', value: watts },
  { label: 'hidden', stroke: '#d62728', show: false, value: watts },
  { label: 'Total', stroke: '#0b5d4b', width: 2.5, value: watts },
  { label: 'Previous period', stroke: '#6b6b6b', dash: [6, 4], value: watts },
];
const data: uPlot.AlignedData = [
  [100, 200],
  [10, null],
  [1, 2],
  [30, 40],
  [null, 35],
];

describe('chart readout', () => {
  it('when the cursor is on a point, then the time and every shown series with its value and unit', () => {
    expect(readoutAt(series, data, { chart, idx: 1 })).toEqual({
      time: 't=200',
      entries: [
        { label: 'fridge', color: '#1f77b4', dashed: false, value: '–' },
        { label: 'Total', color: '#0b5d4b', dashed: false, value: '40 W' },
        { label: 'Previous period', color: '#6b6b6b', dashed: true, value: '35 W' },
      ],
    });
  });

  it('when the cursor is off the chart, then only the keys: the total and the dashed previous period are still named', () => {
    expect(readoutAt(series, data, null)).toEqual({
      entries: [
        { label: 'fridge', color: '#1f77b4', dashed: false },
        { label: 'Total', color: '#0b5d4b', dashed: false },
        { label: 'Previous period', color: '#6b6b6b', dashed: true },
      ],
    });
  });

  it('when the data shrank under a cursor that has not moved, then no values rather than wrong ones', () => {
    expect(readoutAt(series, data, { chart, idx: 5 }).time).toBeUndefined();
  });

  it('when a series is filled bars without a line colour, then its key takes the fill', () => {
    expect(readoutAt([{}, { label: 'Energy', fill: 'rgba(1, 2, 3, 0.5)' }], [[1], [2]], null).entries[0]?.color).toBe('rgba(1, 2, 3, 0.5)');
  });
});
