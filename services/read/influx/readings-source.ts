// Where a query reads from: the raw policy or a rollup, and the InfluxQL pieces that differ between
// them. Callers build one statement per SourceSegment (domain/source-plan.ts).
import type { SourceName } from '../domain/source-plan.js';
import { ident, qualified, str, timeRange } from './influxql.js';
import { MEASUREMENT } from './rollup-layout.js';

export interface ReadingsLocation {
  readonly database: string;
  /** Name of the default (raw) retention policy, known after setup. */
  rawPolicy(): string;
}

export function fromClause(location: ReadingsLocation, source: SourceName): string {
  return qualified(location.database, source === 'raw' ? location.rawPolicy() : source, MEASUREMENT);
}

export interface ReadingFilter {
  readonly householdId: string;
  readonly deviceId?: string;
  readonly quantity?: string;
  readonly fromMs: number;
  readonly toMs: number;
}

export function whereClause(filter: ReadingFilter): string {
  const parts = [`${ident('household')} = ${str(filter.householdId)}`];
  if (filter.deviceId !== undefined) parts.push(`${ident('device')} = ${str(filter.deviceId)}`);
  if (filter.quantity !== undefined) parts.push(`${ident('quantity')} = ${str(filter.quantity)}`);
  parts.push(timeRange(filter.fromMs, filter.toMs));
  return parts.join(' AND ');
}

/** Aggregates of `value` per bucket, written for raw points or for rollup fields. */
export const AGGREGATES = {
  mean: { raw: 'mean("value")', rollup: 'sum("sum") / sum("count")' },
  max: { raw: 'max("value")', rollup: 'max("max")' },
  min: { raw: 'min("value")', rollup: 'min("min")' },
  first: { raw: 'first("value")', rollup: 'first("first")' },
  last: { raw: 'last("value")', rollup: 'last("last")' },
} as const;

export type AggregateName = keyof typeof AGGREGATES;

export function selectList(source: SourceName, names: readonly AggregateName[]): string {
  return names.map((n) => `${AGGREGATES[n][source === 'raw' ? 'raw' : 'rollup']} AS ${ident(n)}`).join(', ');
}
