// Energy-counter buckets of a range at the energy report's base step, per series. In zones whose
// offset is not a whole number of hours (Asia/Kolkata +05:30, Asia/Kathmandu +05:45, …) the base
// step is a quarter hour, which only raw data and the 1-minute rollup can answer; once both have
// expired (52 weeks by default) only the hourly rollup is left. Rather than report 0 kWh, the
// expired part is read per UTC hour: each hour is booked whole to the local bucket in which it
// starts, so up to 45 minutes of energy move across a local midnight (a day's total is still
// 24 hours' worth; over several days only the edges shift). The answer says where that applies.
import type { CounterBucket } from '../domain/counter-energy.js';
import { ceilTo, HOUR_MS } from '../domain/durations.js';
import type { HistoryQueries } from '../influx/history-queries.js';

export interface BaseCounters {
  /** Per series, ascending. */
  readonly counters: Map<string, CounterBucket[]>;
  /** Set when buckets before it are whole UTC hours because finer data has expired. */
  readonly hourlyBeforeMs?: number;
}

/**
 * Counter buckets of [fromMs, toMs) (on the `baseStepMs` grid) at `baseStepMs`, or per hour where
 * data at `baseStepMs` is no longer kept. Hours begin at the first whole hour at or after fromMs.
 */
export async function baseCounters(
  history: HistoryQueries,
  filter: { householdId: string; deviceId?: string },
  range: { fromMs: number; toMs: number },
  baseStepMs: number,
  nowMs: number,
): Promise<BaseCounters> {
  const read = (fromMs: number, toMs: number, stepMs: number): Promise<Map<string, CounterBucket[]>> =>
    toMs > fromMs ? history.counters({ ...filter, fromMs, toMs }, stepMs, nowMs) : Promise.resolve(new Map<string, CounterBucket[]>());
  if (baseStepMs === HOUR_MS) return { counters: await read(range.fromMs, range.toMs, HOUR_MS) };
  const splitMs = ceilTo(history.readableSinceMs(baseStepMs, nowMs), HOUR_MS);
  if (splitMs <= range.fromMs) return { counters: await read(range.fromMs, range.toMs, baseStepMs) };
  const [hourly, fine] = await Promise.all([
    read(ceilTo(range.fromMs, HOUR_MS), ceilTo(Math.min(splitMs, range.toMs), HOUR_MS), HOUR_MS),
    read(Math.max(splitMs, range.fromMs), range.toMs, baseStepMs),
  ]);
  for (const [key, list] of fine) hourly.set(key, [...(hourly.get(key) ?? []), ...list]);
  return { counters: hourly, hourlyBeforeMs: Math.min(splitMs, range.toMs) };
}
