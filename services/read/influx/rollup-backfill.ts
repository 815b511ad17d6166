// Late data and rollups. A continuous query only recomputes its last `resampleFor` window, so points
// that arrive later — an agent that was offline for hours backfills with the original timestamps
// (issue 6) — would never reach the rollups. Two remedies:
// - backfillRollups(range): recompute rollups over a range (the same SELECT … INTO as the CQ;
//   InfluxDB replaces points with the same series and time, so re-running is harmless);
// - reconcileRollups(lookback) / reconcileRange(range): find the hours whose raw point count differs
//   from the count the rollups recorded, and backfill only those. The read service runs it on the
//   hours the write service marked late (influx/late-hour-marks.ts) within seconds, and
//   periodically over the last EM_READ_RECONCILE_LOOKBACK, plus one day further back per pass
//   through the broker's whole acceptance window (domain/late-sweep.ts).
import type { Logger } from '../../../lib/log.js';
import { floorTo, HOUR_MS, MINUTE_MS } from '../domain/durations.js';
import { rollupHorizonMs } from '../domain/source-plan.js';
import type { InfluxClient } from './influx-client.js';
import { qualified, timeRange } from './influxql.js';
import { MEASUREMENT, rollupSelect, type RetentionLayout, type RollupSpec } from './rollup-layout.js';

export async function earliestRawPointMs(client: InfluxClient, layout: RetentionLayout, rawPolicy: string): Promise<number | undefined> {
  const series = await client.query(`SELECT first("value") FROM ${qualified(layout.database, rawPolicy, MEASUREMENT)}`);
  const time = series[0]?.values[0]?.[0];
  return typeof time === 'number' ? time : undefined;
}

/**
 * The oldest bucket a rollup can still hold. InfluxDB refuses points older than its retention
 * policy's duration, measured on its own (wall) clock, and a SELECT … INTO that produces one fails
 * as a whole ("points beyond retention policy dropped") — so raw data kept longer than a rollup
 * (say raw INF, 1-minute rollups 52 weeks) is rolled up only where the rollup keeps it.
 */
function oldestKeptBucketMs(rollup: RollupSpec): number {
  if (!Number.isFinite(rollup.retentionMs)) return -Infinity;
  return Math.ceil((Date.now() - rollup.retentionMs + MINUTE_MS) / rollup.stepMs) * rollup.stepMs;
}

async function resample(client: InfluxClient, layout: RetentionLayout, rawPolicy: string, rollup: RollupSpec, range: { fromMs: number; toMs: number }): Promise<void> {
  const from = Math.max(floorTo(range.fromMs, rollup.stepMs), oldestKeptBucketMs(rollup));
  for (let start = from; start < range.toMs; start += rollup.backfillChunkMs) {
    const end = Math.min(start + rollup.backfillChunkMs, Math.ceil(range.toMs / rollup.stepMs) * rollup.stepMs);
    await client.query(rollupSelect(layout, rawPolicy, rollup, { fromMs: start, toMs: end }));
  }
}

/** Recomputes every rollup over [fromMs, toMs) (widened to whole buckets). */
export async function backfillRollups(
  client: InfluxClient,
  layout: RetentionLayout,
  rawPolicy: string,
  range: { fromMs: number; toMs: number },
  log: Logger,
): Promise<void> {
  const started = Date.now();
  for (const rollup of layout.rollups) await resample(client, layout, rawPolicy, rollup, range);
  log.info({ fromMs: range.fromMs, toMs: range.toMs, ms: Date.now() - started }, 'rollups backfilled');
}

async function countsPerHour(client: InfluxClient, source: string, field: string, fn: 'count' | 'sum', range: { fromMs: number; toMs: number }): Promise<Map<number, number>> {
  const series = await client.query(`SELECT ${fn}("${field}") FROM ${source} WHERE ${timeRange(range.fromMs, range.toMs)} GROUP BY time(1h) fill(none)`);
  return new Map((series[0]?.values ?? []).map((row) => [Number(row[0]), Number(row[1])]));
}

/** Hours in the range whose rollup does not count the raw points it should (late or missing data). */
async function staleHours(client: InfluxClient, layout: RetentionLayout, rawPolicy: string, rollup: RollupSpec, range: { fromMs: number; toMs: number }): Promise<number[]> {
  const raw = await countsPerHour(client, qualified(layout.database, rawPolicy, MEASUREMENT), 'value', 'count', range);
  const rolled = await countsPerHour(client, qualified(layout.database, rollup.name, MEASUREMENT), 'count', 'sum', range);
  return [...raw].filter(([hour, count]) => rolled.get(hour) !== count).map(([hour]) => hour);
}

export interface ReconcileOptions {
  readonly nowMs: number;
  readonly log: Logger;
  readonly onRepaired?: (fromMs: number, toMs: number) => void;
}

/**
 * Backfills the hours of [fromMs, toMs) (whole hours) that a rollup missed, only where the rollup
 * is final (before its continuous query's window) and still kept: up to the rollup's horizon, so
 * the 1-minute rollup's current hour is repaired up to its last final minute (late readings of the
 * last hour are otherwise missing from a day's chart until the hour is over). Returns the hours
 * recomputed.
 */
export async function reconcileRange(client: InfluxClient, layout: RetentionLayout, rawPolicy: string, range: { fromMs: number; toMs: number }, options: ReconcileOptions): Promise<number> {
  let repaired = 0;
  for (const rollup of layout.rollups) {
    const toMs = Math.min(floorTo(range.toMs, HOUR_MS), rollupHorizonMs(rollup, options.nowMs));
    const fromMs = Math.max(floorTo(range.fromMs, HOUR_MS), Math.ceil(oldestKeptBucketMs(rollup) / HOUR_MS) * HOUR_MS);
    if (toMs <= fromMs) continue;
    for (const hour of await staleHours(client, layout, rawPolicy, rollup, { fromMs, toMs })) {
      const endMs = Math.min(hour + HOUR_MS, toMs);
      await resample(client, layout, rawPolicy, rollup, { fromMs: hour, toMs: endMs });
      options.onRepaired?.(hour, endMs);
      repaired += 1;
    }
  }
  if (repaired > 0) options.log.info({ repaired, fromMs: range.fromMs, toMs: range.toMs }, 'late data folded into rollups');
  return repaired;
}

/** Backfills the hours of the last `lookbackMs` (before the CQs' own window) that the rollups missed. */
export function reconcileRollups(client: InfluxClient, layout: RetentionLayout, rawPolicy: string, options: ReconcileOptions & { lookbackMs: number }): Promise<number> {
  return reconcileRange(client, layout, rawPolicy, { fromMs: options.nowMs - options.lookbackMs, toMs: options.nowMs }, options);
}
