// uPlot options for the charts: the Now page's live total; History's lines per device plus the
// total (and the previous period's total, dashed), and bars for energy or cost. Times are shown
// in the household's zone, never the browser's: the figures beside them are the household's days.
import uPlot from 'uplot';
import { axisSize, axisValues } from './axis-ticks';
import { formatEnergy, formatMoney, formatPower } from './format';
import { spanStart } from './time-zone';

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

/** What one bar covers. */
export type BarBucket = 'hour' | 'day' | 'month';

/** The end (s) of the bucket starting at `startS`: local days and months vary in length. */
function bucketEndS(startS: number, bucket: BarBucket, timeZone: string): number {
  return bucket === 'hour' ? startS + 3600 : spanStart(startS * 1000, bucket, timeZone, 1) / 1000;
}

/**
 * uPlot's `cursor.dataIdx` for bars drawn from their start: the bar the cursor is over (none in a
 * gap), where uPlot's default, the nearest start, gives the next bar over a bar's right half.
 */
export function barUnderCursor(bucket: BarBucket, timeZone: string): uPlot.Cursor.DataIdxRefiner {
  return (u, _seriesIdx, _closestIdx, x) => {
    const starts = u.data[0];
    let i = starts.length - 1;
    while (i >= 0 && starts[i]! > x) i--;
    return i >= 0 && x < bucketEndS(starts[i]!, bucket, timeZone) ? i : null;
  };
}

function bucketLabel(startS: number, bucket: BarBucket, timeZone: string): string {
  const at = (s: number): Date => new Date(s * 1000);
  if (bucket === 'hour') {
    const time = (s: number): string => at(s).toLocaleTimeString(undefined, { timeZone, hour: '2-digit', minute: '2-digit' });
    return `${time(startS)}–${time(startS + 3600)}`;
  }
  if (bucket === 'day') return at(startS).toLocaleDateString(undefined, { timeZone, weekday: 'short', day: 'numeric', month: 'short' });
  return at(startS).toLocaleDateString(undefined, { timeZone, month: 'long', year: 'numeric' });
}

export function barChartOptions(kind: 'energy' | 'cost', currency: string, timeZone: string, compare: boolean, bucket: BarBucket): Omit<uPlot.Options, 'width' | 'height'> {
  const format = (v: number): string => (kind === 'energy' ? formatEnergy(v) : formatMoney(v, currency));
  const bars = uPlot.paths.bars!({ size: [0.7, 60], align: 1 });
  const value = (_u: uPlot, v: number | null): string => (v === null ? '–' : format(v));
  return {
    tzDate: zonedDates(timeZone),
    scales: { x: { time: true }, y: { range: (_u, _min, max) => [0, Math.max(kind === 'energy' ? 0.1 : 0.01, (max || 0) * 1.1)] } },
    axes: [{}, { values: axisValues(kind === 'energy' ? 'kWh' : { currency }), size: axisSize }],
    cursor: { drag: { x: true, y: false, setScale: true }, dataIdx: barUnderCursor(bucket, timeZone) },
    legend: { show: false },
    series: [
      { value: (_u, v) => (v === null ? '' : bucketLabel(v, bucket, timeZone)) },
      { label: kind === 'energy' ? 'Energy' : 'Cost', fill: kind === 'energy' ? 'rgba(11, 93, 75, 0.75)' : 'rgba(138, 75, 0, 0.7)', stroke: kind === 'energy' ? '#0b5d4b' : '#8a4b00', paths: bars, points: { show: false }, value },
      ...(compare ? [{ label: 'Previous period', stroke: '#6b6b6b', width: 1.5, dash: [6, 4], value }] : []),
    ],
  };
}
