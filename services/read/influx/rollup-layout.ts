// The rolled-up copies of `reading`: per series (all tags kept) and per 1-minute or 1-hour bucket,
// sum, count, min, max, first and last of `value`. Sum and count (not mean) so that a coarser
// mean over rollups is sum(sum)/sum(count) — exactly the mean of the raw points; max of max is the
// raw max; first/last/min/max of an energy_wh counter are what the energy model needs
// (domain/counter-energy.ts).
import { createHash } from 'node:crypto';
import { HOUR_MS, MINUTE_MS } from '../domain/durations.js';
import type { RollupSource, SourceCatalogue } from '../domain/source-plan.js';
import { ident, qualified, step, timeRange } from './influxql.js';

export const MEASUREMENT = 'reading';

export interface RollupSpec extends RollupSource {
  /** CQ: run every `resampleEveryMs` over the last `resampleForMs`, so late points up to that age are folded in. */
  readonly resampleEveryMs: number;
  readonly resampleForMs: number;
  /** Window of one backfill statement (bounded work per request). */
  readonly backfillChunkMs: number;
}

export interface RetentionLayout {
  readonly database: string;
  readonly rawRetentionMs: number;
  /** Coarsest first. */
  readonly rollups: readonly RollupSpec[];
}

export function defaultRollups(retention1mMs: number, retention1hMs: number): RollupSpec[] {
  return [
    // 1 h buckets: every 5 minutes over the last 2 hours; a closed hour is final 5 min + margin after it ends.
    { name: 'rollup_1h', stepMs: HOUR_MS, retentionMs: retention1hMs, resampleEveryMs: 5 * MINUTE_MS, resampleForMs: 2 * HOUR_MS, lagMs: 7 * MINUTE_MS, backfillChunkMs: 7 * 24 * HOUR_MS },
    // 1 min buckets: every minute over the last 10 minutes.
    { name: 'rollup_1m', stepMs: MINUTE_MS, retentionMs: retention1mMs, resampleEveryMs: MINUTE_MS, resampleForMs: 10 * MINUTE_MS, lagMs: 2 * MINUTE_MS, backfillChunkMs: 6 * HOUR_MS },
  ];
}

export function sourceCatalogue(layout: RetentionLayout): SourceCatalogue {
  return { rawRetentionMs: layout.rawRetentionMs, rollups: layout.rollups };
}

/** The SELECT … INTO that fills `rollup` from raw data, optionally limited to a time range. */
export function rollupSelect(layout: RetentionLayout, rawPolicy: string, rollup: RollupSpec, range?: { fromMs: number; toMs: number }): string {
  const fields = ['sum', 'count', 'min', 'max', 'first', 'last'].map((f) => `${f}("value") AS ${ident(f)}`).join(', ');
  const where = range === undefined ? '' : ` WHERE ${timeRange(range.fromMs, range.toMs)}`;
  return (
    `SELECT ${fields} INTO ${qualified(layout.database, rollup.name, MEASUREMENT)} ` +
    `FROM ${qualified(layout.database, rawPolicy, MEASUREMENT)}${where} GROUP BY time(${step(rollup.stepMs)}), *`
  );
}

export function continuousQueryText(layout: RetentionLayout, rawPolicy: string, rollup: RollupSpec): string {
  return (
    `CREATE CONTINUOUS QUERY ${ident(cqName(layout, rawPolicy, rollup))} ON ${ident(layout.database)} ` +
    `RESAMPLE EVERY ${step(rollup.resampleEveryMs)} FOR ${step(rollup.resampleForMs)} ` +
    `BEGIN ${rollupSelect(layout, rawPolicy, rollup)} END`
  );
}

export const CQ_PREFIX = 'em_';

/** The name carries a hash of the definition: a changed definition gets a new CQ, the old one is dropped. */
export function cqName(layout: RetentionLayout, rawPolicy: string, rollup: RollupSpec): string {
  const definition = `${rollupSelect(layout, rawPolicy, rollup)}|${rollup.resampleEveryMs}|${rollup.resampleForMs}`;
  return `${CQ_PREFIX}${rollup.name}_${createHash('sha256').update(definition).digest('hex').slice(0, 8)}`;
}
