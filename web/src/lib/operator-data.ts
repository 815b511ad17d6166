// Operator charts as uPlot wants them and the numbers shown next to them: the latest value of
// each series, formatted for the chart's unit.
import type uPlot from 'uplot';
import type { OperatorChart, OperatorSeries } from '../api/operator-types';

export function chartData(times: readonly number[], chart: OperatorChart): uPlot.AlignedData {
  return [times as number[], ...chart.series.map((s) => s.values as (number | null)[])];
}

/** The newest non-null value of a series; undefined when it has none in the range. */
export function latestValue(series: OperatorSeries): number | undefined {
  for (let i = series.values.length - 1; i >= 0; i -= 1) {
    const value = series.values[i];
    if (value !== null && value !== undefined) return value;
  }
  return undefined;
}

/**
 * The series' name as shown: the chart's title when the query sums everything, else its labels with
 * the process first and bare (`write · 127.0.0.1:9102`, `write · reason=invalid`).
 */
export function seriesName(chart: OperatorChart, series: OperatorSeries): string {
  if (series.label === '') return chart.title;
  const pairs = series.label.split(', ').map((pair) => {
    const at = pair.indexOf('=');
    return at < 0 ? ['', pair] : [pair.slice(0, at), pair.slice(at + 1)];
  });
  const bare = ['job', 'instance'].flatMap((name) => pairs.filter(([key]) => key === name).map(([, value]) => value));
  const rest = pairs.filter(([key]) => key !== 'job' && key !== 'instance').map(([key, value]) => (key === '' ? value : `${key}=${value}`));
  return [...bare, ...rest].join(' · ');
}

const UNIT_SUFFIX: Readonly<Record<string, string>> = { 'containers/s': '/s', 'points/s': '/s', 'errors/s': '/s', 'readings/s': '/s', 'failures/s': '/s' };

export function formatOperatorValue(value: number | undefined, unit: string): string {
  if (value === undefined) return '–';
  if (unit === 's') return formatSeconds(value);
  if (unit === 'bytes') return formatBytes(value);
  if (unit === '') return value === 1 ? 'up' : value === 0 ? 'down' : String(value);
  const suffix = UNIT_SUFFIX[unit] ?? '';
  return `${formatNumber(value)}${suffix}`;
}

function formatNumber(value: number): string {
  if (value === 0) return '0';
  const abs = Math.abs(value);
  if (abs >= 1000) return Math.round(value).toLocaleString('en');
  if (abs >= 10) return value.toFixed(1).replace(/\.0$/, '');
  return String(Number(value.toPrecision(2)));
}

function formatSeconds(value: number): string {
  if (value >= 1) return `${Number(value.toPrecision(3))} s`;
  return `${Number((value * 1000).toPrecision(3))} ms`;
}

function formatBytes(value: number): string {
  const units = ['B', 'KiB', 'MiB', 'GiB', 'TiB'];
  let scaled = value;
  let index = 0;
  while (scaled >= 1024 && index < units.length - 1) {
    scaled /= 1024;
    index += 1;
  }
  return `${index === 0 ? scaled : Number(scaled.toPrecision(3))} ${units[index]}`;
}
