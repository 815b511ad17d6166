// The write service's marks of hours that received readings too late for the continuous queries
// (services/write/late-hour-marks.ts; docs/decisions/008-read-model.md): which hours to repair now,
// instead of waiting for the periodic reconciliation to count its way back to them.
import { HOUR_MS } from '../domain/durations.js';
import type { InfluxClient } from './influx-client.js';
import { qualified, timeRange } from './influxql.js';
import type { RetentionLayout } from './rollup-layout.js';

/** Written by the write service; the name is its LATE_HOUR_MEASUREMENT (the two services share no code but the wire). */
const MEASUREMENT = 'late_hour';

/** The starts of the hours marked by writes stamped in [sinceMs, untilMs), oldest first. */
export async function markedHours(client: InfluxClient, layout: RetentionLayout, rawPolicy: string, range: { sinceMs: number; untilMs: number }): Promise<number[]> {
  const series = await client.query(
    `SELECT last("containers") FROM ${qualified(layout.database, rawPolicy, MEASUREMENT)} WHERE ${timeRange(range.sinceMs, range.untilMs)} GROUP BY "hour"`,
  );
  const hours = series.map((s) => Number(s.tags['hour'])).filter((hour) => Number.isSafeInteger(hour) && hour % HOUR_MS === 0);
  return [...new Set(hours)].sort((a, b) => a - b);
}
