// Power history and energy-counter buckets, each read from the cheapest sources that answer the
// step (domain/source-plan.ts) and stitched in time order. Series are per device.
import type { CounterBucket } from '../domain/counter-energy.js';
import { planSources, type SourceCatalogue, type SourceSegment } from '../domain/source-plan.js';
import type { InfluxClient } from './influx-client.js';
import { ident, step } from './influxql.js';
import { fromClause, selectList, whereClause, type AggregateName, type ReadingFilter, type ReadingsLocation } from './readings-source.js';
import { readSeries, type SeriesReader } from './series-rows.js';

export interface PowerPoint {
  readonly t: number;
  readonly mean: number;
  readonly max: number;
}

export interface HistoryQueries {
  power(filter: Omit<ReadingFilter, 'quantity'>, stepMs: number, nowMs: number): Promise<Map<string, PowerPoint[]>>;
  counters(filter: Omit<ReadingFilter, 'quantity'>, stepMs: number, nowMs: number): Promise<Map<string, CounterBucket[]>>;
  /** The last energy_wh counter value per device in [fromMs, toMs); fromMs and toMs on the `stepMs` grid. */
  lastCounters(filter: Omit<ReadingFilter, 'quantity'>, stepMs: number, nowMs: number): Promise<Map<string, number>>;
  /** Which sources a query of this shape reads (for tests and the response's `sources`). */
  plan(fromMs: number, toMs: number, stepMs: number, nowMs: number): SourceSegment[];
}

type RowMapper<T> = (reader: SeriesReader, row: number) => T | undefined;

export function createHistoryQueries(client: InfluxClient, location: ReadingsLocation, catalogue: SourceCatalogue): HistoryQueries {
  const plan = (fromMs: number, toMs: number, stepMs: number, nowMs: number): SourceSegment[] =>
    planSources(catalogue, { fromMs, toMs, stepMs, nowMs });

  async function perDevice<T>(filter: ReadingFilter, stepMs: number, nowMs: number, names: readonly AggregateName[], map: RowMapper<T>): Promise<Map<string, T[]>> {
    const out = new Map<string, T[]>();
    for (const segment of plan(filter.fromMs, filter.toMs, stepMs, nowMs)) {
      const where = whereClause({ ...filter, fromMs: segment.fromMs, toMs: segment.toMs });
      const series = await client.query(
        `SELECT ${selectList(segment.source, names)} FROM ${fromClause(location, segment.source)} WHERE ${where} GROUP BY time(${step(stepMs)}), ${ident('device')} fill(none)`,
      );
      for (const s of series) {
        const reader = readSeries(s);
        const device = reader.tags['device'] ?? '';
        const list = out.get(device) ?? [];
        for (let row = 0; row < reader.rows; row += 1) {
          const item = map(reader, row);
          if (item !== undefined) list.push(item);
        }
        out.set(device, list);
      }
    }
    return out;
  }

  return {
    plan,
    power: (filter, stepMs, nowMs) =>
      perDevice({ ...filter, quantity: 'power_w' }, stepMs, nowMs, ['mean', 'max'], (r, row) => {
        const t = r.num(row, 'time');
        const mean = r.num(row, 'mean');
        const max = r.num(row, 'max');
        return t === undefined || mean === undefined || max === undefined ? undefined : { t, mean, max };
      }),
    counters: (filter, stepMs, nowMs) =>
      perDevice({ ...filter, quantity: 'energy_wh' }, stepMs, nowMs, ['first', 'last', 'min', 'max'], (r, row) => {
        const [startMs, first, last, min, max] = ['time', 'first', 'last', 'min', 'max'].map((c) => r.num(row, c));
        if (startMs === undefined || first === undefined || last === undefined || min === undefined || max === undefined) return undefined;
        return { startMs, first, last, min, max };
      }),
    async lastCounters(filter, stepMs, nowMs) {
      // Coarse steps let the rollups answer most of the lookback; the last bucket per device wins.
      const buckets = await this.counters(filter, stepMs, nowMs);
      const last = new Map<string, number>();
      for (const [device, list] of buckets) {
        const final = list[list.length - 1];
        if (final !== undefined) last.set(device, final.last);
      }
      return last;
    },
  };
}
