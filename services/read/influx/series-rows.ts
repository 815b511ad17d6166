// Reads InfluxDB result series as plain rows: the value of a named column, as a number or undefined.
import type { InfluxSeries } from './influx-client.js';

export interface SeriesReader {
  readonly tags: Readonly<Record<string, string>>;
  readonly rows: number;
  num(row: number, column: string): number | undefined;
}

export function readSeries(series: InfluxSeries): SeriesReader {
  const index = new Map(series.columns.map((c, i) => [c, i]));
  return {
    tags: series.tags,
    rows: series.values.length,
    num(row, column) {
      const i = index.get(column);
      const value = i === undefined ? undefined : series.values[row]?.[i];
      return typeof value === 'number' && Number.isFinite(value) ? value : undefined;
    },
  };
}
