// uPlot options for the charts: the Now page's live total; History's lines per device plus the
// total (and the previous period's total, dashed), and bars for energy or cost. Times are shown
// in the household's zone, never the browser's: the figures beside them are the household's days.
import uPlot from 'uplot';
import { axisSize, axisValues } from './axis-ticks';
import { formatEnergy, formatMoney, formatPower } from './format';

export const PALETTE = ['#1f77b4', '#d62728', '#2ca02c', '#9467bd', '#8c564b', '#e377c2', '#7f7f7f', '#bcbd22', '#17becf', '#ff7f0e'];

export function deviceColor(index: number): string {
  return PALETTE[index % PALETTE.length]!;
}

/** uPlot's `tzDate`: the Date uPlot reads axis labels from, shifted to show `timeZone`'s wall clock. */
export const zonedDates = (timeZone: string) => (ts: number): Date => uPlot.tzDate(new Date(ts * 1000), timeZone);

/** The live total over the last `windowS` seconds, whatever span the data has so far. */
export function liveChartOptions(timeZone: string, windowS: number): Omit<uPlot.Options, 'width' | 'height'> {
  return {
    tzDate: zonedDates(timeZone),
    // Always the whole window, so the axis reads in minutes even while only seconds of data exist.
    scales: { x: { time: true, range: (_u, _min, max) => [max - windowS, max] }, y: { range: (_u, _min, max) => [0, Math.max(100, max * 1.15)] } },
    axes: [{}, { values: axisValues('W'), size: axisSize }],
    series: [
      { value: (_u, v) => (v === null ? '' : new Date(v * 1000).toLocaleTimeString(undefined, { timeZone })) },
      { label: 'Total', stroke: '#0b7a61', fill: 'rgba(11, 122, 97, 0.15)', width: 2, value: (_u, v) => (v === null ? '–' : formatPower(v)) },
    ],
    cursor: { drag: { x: false, y: false } },
    legend: { show: false },
  };
}

export function powerChartOptions(devices: readonly string[], compare: boolean, timeZone: string): Omit<uPlot.Options, 'width' | 'height'> {
  const value = (_u: uPlot, v: number | null): string => (v === null ? '–' : formatPower(v));
  return {
    tzDate: zonedDates(timeZone),
    scales: { x: { time: true }, y: { range: (_u, _min, max) => [0, Math.max(100, (max || 0) * 1.1)] } },
    axes: [{}, { values: axisValues('W'), size: axisSize }],
    cursor: { drag: { x: true, y: false, setScale: true } },
    legend: { show: false },
    series: [
      { value: (_u, v) => (v === null ? '' : new Date(v * 1000).toLocaleString(undefined, { timeZone, dateStyle: 'short', timeStyle: 'short' })) },
      ...devices.map((device, i) => ({ label: device, stroke: deviceColor(i), width: 1, value })),
      { label: 'Total', stroke: '#0b5d4b', width: 2.5, value },
      ...(compare ? [{ label: 'Previous period', stroke: '#6b6b6b', width: 1.5, dash: [6, 4], value }] : []),
    ],
  };
}

export function barChartOptions(kind: 'energy' | 'cost', currency: string, timeZone: string, compare: boolean): Omit<uPlot.Options, 'width' | 'height'> {
  const format = (v: number): string => (kind === 'energy' ? formatEnergy(v) : formatMoney(v, currency));
  const bars = uPlot.paths.bars!({ size: [0.7, 60], align: 1 });
  const value = (_u: uPlot, v: number | null): string => (v === null ? '–' : format(v));
  return {
    tzDate: zonedDates(timeZone),
    scales: { x: { time: true }, y: { range: (_u, _min, max) => [0, Math.max(kind === 'energy' ? 0.1 : 0.01, (max || 0) * 1.1)] } },
    axes: [{}, { values: axisValues(kind === 'energy' ? 'kWh' : { currency }), size: axisSize }],
    cursor: { drag: { x: true, y: false, setScale: true } },
    legend: { show: false },
    series: [
      { value: (_u, v) => (v === null ? '' : new Date(v * 1000).toLocaleDateString(undefined, { timeZone })) },
      { label: kind === 'energy' ? 'Energy' : 'Cost', fill: kind === 'energy' ? 'rgba(11, 93, 75, 0.75)' : 'rgba(138, 75, 0, 0.7)', stroke: kind === 'energy' ? '#0b5d4b' : '#8a4b00', paths: bars, points: { show: false }, value },
      ...(compare ? [{ label: 'Previous period', stroke: '#6b6b6b', width: 1.5, dash: [6, 4], value }] : []),
    ],
  };
}
