// Power history and energy-counter buckets, each read from the cheapest sources that answer the
// step (domain/source-plan.ts) and stitched in time order. Rows are per series — one agent's device
// (domain/device-series.ts) — keyed by seriesKey(agent, device): two agents' readings of the same
// device id are never combined here.
import type { ChunkCache } from '../domain/chunk-cache.js';
import type { CounterBucket } from '../domain/counter-energy.js';
import { seriesKey, type PowerPoint } from '../domain/device-series.js';
import { HOUR_MS } from '../domain/durations.js';
import { oldestReadableMs, planSources, type SourceCatalogue, type SourceName, type SourceSegment } from '../domain/source-plan.js';
import type { InfluxClient, InfluxSeries } from './influx-client.js';
import { ident, step } from './influxql.js';
import { fromClause, selectList, whereClause, type AggregateName, type ReadingFilter, type ReadingsLocation } from './readings-source.js';
import { readSeries, type SeriesReader } from './series-rows.js';

export type { PowerPoint };

/** Results keyed by seriesKey(agent, device). */
export interface HistoryQueries {
  power(filter: Omit<ReadingFilter, 'quantity'>, stepMs: number, nowMs: number): Promise<Map<string, PowerPoint[]>>;
  counters(filter: Omit<ReadingFilter, 'quantity'>, stepMs: number, nowMs: number): Promise<Map<string, CounterBucket[]>>;
  /** The oldest instant data at `stepMs` can be read from (older buckets only at coarser steps). */
  readableSinceMs(stepMs: number, nowMs: number): number;
  /** Which sources a query of this shape reads (for tests and the response's `sources`). */
  plan(fromMs: number, toMs: number, stepMs: number, nowMs: number): SourceSegment[];
}

/** One series per agent and device (the quantity is fixed by the filter). */
const BY_SERIES = `${ident('agent')}, ${ident('device')}`;

type RowMapper<T> = (reader: SeriesReader, row: number) => T | undefined;

export interface HistoryCaching {
  /** Energy counters per base bucket (hour or quarter hour), in chunks of a week. */
  readonly counters: ChunkCache<CounterBucket>;
  /** Power at steps that divide an hour, in chunks of an hour. */
  readonly power: ChunkCache<PowerPoint>;
  /**
   * Buckets older than these are final but for reconciliation, which invalidates what it repairs:
   * the continuous queries' own window plus their lag and a margin — rollup_1h resamples the last
   * 2 h (energy counters come from it), rollup_1m the last 10 minutes (power).
   */
  readonly countersFinalAfterMs: number;
  readonly powerFinalAfterMs: number;
}

export function createHistoryQueries(client: InfluxClient, location: ReadingsLocation, catalogue: SourceCatalogue, caching?: HistoryCaching): HistoryQueries {
  const plan = (fromMs: number, toMs: number, stepMs: number, nowMs: number): SourceSegment[] =>
    planSources(catalogue, { fromMs, toMs, stepMs, nowMs });

  const rollupStep = new Map(catalogue.rollups.map((r) => [r.name as SourceName, r.stepMs]));

  async function perSeries<T>(filter: ReadingFilter, stepMs: number, nowMs: number, names: readonly AggregateName[], map: RowMapper<T>): Promise<Map<string, T[]>> {
    // One statement per source, all in one request: a range that ends now reads rollup and raw both.
    // InfluxDB runs them back to back; on two busy cores that answered sooner than two requests in
    // parallel, and sooner than one after the other (docs/benchmarks.md, issue 4).
    const segments = plan(filter.fromMs, filter.toMs, stepMs, nowMs);
    // At the rollup's own step its rows are the answer: reading them as stored spares InfluxDB a
    // GROUP BY time over a year of buckets (about 3× faster for a year of hours, benchmarks.md).
    const asStored = segments.map((segment) => rollupStep.get(segment.source) === stepMs);
    const statements = segments.map((segment, i) => {
      const where = whereClause({ ...filter, fromMs: segment.fromMs, toMs: segment.toMs });
      return asStored[i] === true
        ? `SELECT ${storedFields(names)} FROM ${fromClause(location, segment.source)} WHERE ${where} GROUP BY ${BY_SERIES}`
        : `SELECT ${selectList(segment.source, names)} FROM ${fromClause(location, segment.source)} WHERE ${where} GROUP BY time(${step(stepMs)}), ${BY_SERIES} fill(none)`;
    });
    const answers = (await client.queryEach(statements)).map((series, i) => (asStored[i] === true ? series.map((s) => storedAsAggregates(s, names)) : series));
    // Segments are in time order and do not overlap, so appending keeps every series' rows sorted.
    const out = new Map<string, T[]>();
    for (const series of answers) {
      for (const s of series) {
        const reader = readSeries(s);
        const key = seriesKey(reader.tags['agent'] ?? '', reader.tags['device'] ?? '');
        const list = out.get(key) ?? [];
        for (let row = 0; row < reader.rows; row += 1) {
          const item = map(reader, row);
          if (item !== undefined) list.push(item);
        }
        out.set(key, list);
      }
    }
    return out;
  }

  return {
    plan,
    power(filter, stepMs, nowMs) {
      const fetch = (fromMs: number, toMs: number): Promise<Map<string, PowerPoint[]>> =>
        perSeries({ ...filter, fromMs, toMs, quantity: 'power_w' }, stepMs, nowMs, ['mean', 'max'], (r, row) => {
          const t = r.num(row, 'time');
          const mean = r.num(row, 'mean');
          const max = r.num(row, 'max');
          return t === undefined || mean === undefined || max === undefined ? undefined : { t, mean, max };
        });
      // Only steps that tile an hour: a coarser bucket would straddle chunk edges.
      if (caching === undefined || HOUR_MS % stepMs !== 0) return fetch(filter.fromMs, filter.toMs);
      const key = JSON.stringify([filter.householdId, filter.deviceId ?? null, stepMs]);
      return caching.power.read(key, { fromMs: filter.fromMs, toMs: filter.toMs, finalBeforeMs: nowMs - caching.powerFinalAfterMs }, fetch, (p) => p.t);
    },
    counters(filter, stepMs, nowMs) {
      const fetch = (fromMs: number, toMs: number): Promise<Map<string, CounterBucket[]>> =>
        perSeries({ ...filter, fromMs, toMs, quantity: 'energy_wh' }, stepMs, nowMs, ['first', 'last', 'min', 'max'], (r, row) => {
          const [startMs, first, last, min, max] = ['time', 'first', 'last', 'min', 'max'].map((c) => r.num(row, c));
          if (startMs === undefined || first === undefined || last === undefined || min === undefined || max === undefined) return undefined;
          return { startMs, first, last, min, max };
        });
      if (caching === undefined) return fetch(filter.fromMs, filter.toMs);
      const key = JSON.stringify([filter.householdId, filter.deviceId ?? null, stepMs]);
      return caching.counters.read(key, { fromMs: filter.fromMs, toMs: filter.toMs, finalBeforeMs: nowMs - caching.countersFinalAfterMs }, fetch, (b) => b.startMs);
    },
    readableSinceMs: (stepMs, nowMs) => oldestReadableMs(catalogue, stepMs, nowMs),
  };
}

/** The stored rollup fields that the aggregates `names` are computed from. */
function storedFields(names: readonly AggregateName[]): string {
  const fields = new Set(names.flatMap((n) => (n === 'mean' ? ['sum', 'count'] : [n])));
  return [...fields].map((f) => ident(f)).join(', ');
}

/**
 * Rollup rows as stored, turned into the aggregate columns a GROUP BY time would give. Rollups keep
 * every tag (rollup-layout.ts), so grouped by agent and device a series has one row per bucket.
 */
function storedAsAggregates(s: InfluxSeries, names: readonly AggregateName[]): InfluxSeries {
  const reader = readSeries(s);
  const values: (number | null)[][] = [];
  for (let row = 0; row < reader.rows; row += 1) {
    const t = reader.num(row, 'time');
    if (t === undefined) continue;
    const value = (n: AggregateName): number | null => {
      const v = n === 'mean' ? (reader.num(row, 'sum') ?? Number.NaN) / (reader.num(row, 'count') ?? Number.NaN) : (reader.num(row, n) ?? Number.NaN);
      return Number.isFinite(v) ? v : null;
    };
    values.push([t, ...names.map(value)]);
  }
  return { ...s, columns: ['time', ...names], values };
}
