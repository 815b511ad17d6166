// Energy (kWh) and cost per local hour/day/week/month/year, per device and in total, from the
// energy_wh counters (domain/counter-energy.ts) in base buckets of an hour — a quarter hour in
// zones whose offset is not a whole number of hours — summed into calendar buckets of the
// household's time zone and priced per base bucket with its tariff. Counters are differenced per
// series (one agent's device) and a device's energy is the sum over its series
// (domain/device-series.ts): two agents' counters of the same device id are never compared.
// Quarter hours that have expired are read as hours (use-cases/base-counters.ts).
import { calendarBuckets, clipBuckets, hourAlignedZone, type Period } from '../domain/calendar-buckets.js';
import { energyFromCounters, sumIntoBuckets, type BucketEnergy } from '../domain/counter-energy.js';
import { groupByDevice, sumEnergies } from '../domain/device-series.js';
import { ceilTo, DAY_MS, floorTo, HOUR_MS, MINUTE_MS } from '../domain/durations.js';
import { costOf } from '../domain/tariff-pricing.js';
import type { HouseholdSettings } from '../household-catalog.js';
import type { HistoryQueries } from '../influx/history-queries.js';
import { baseCounters } from './base-counters.js';

/** How far back the counter value before the range is looked for (a device silent longer starts from its first reading). */
const COUNTER_LOOKBACK_MS = 31 * DAY_MS;

export interface EnergyRequest {
  readonly household: HouseholdSettings;
  readonly deviceId?: string;
  readonly period: Period;
  readonly fromMs: number;
  readonly toMs: number;
}

export interface EnergyBucket {
  readonly start: string;
  readonly startMs: number;
  readonly endMs: number;
  readonly totalKwh: number;
  readonly devices: Readonly<Record<string, number>>;
  readonly cost?: number;
  readonly deviceCosts?: Readonly<Record<string, number>>;
}

export interface EnergyReport {
  readonly period: Period;
  readonly timeZone: string;
  readonly baseStepMs: number;
  /**
   * Present when part of the range is older than the data at `baseStepMs` kept (quarter hours in
   * zones with half-hour offsets, older than the 1-minute rollup's retention): before `untilMs`,
   * energy is read per UTC hour and each hour is booked to the local bucket in which it starts.
   */
  readonly approximation?: { readonly untilMs: number; readonly baseStepMs: number; readonly reason: string };
  readonly buckets: readonly EnergyBucket[];
}

export async function energyReport(history: HistoryQueries, request: EnergyRequest, nowMs: number, withCost: boolean): Promise<EnergyReport> {
  const { timeZone, tariff } = request.household;
  const calendar = calendarBuckets(request.period, request.fromMs, request.toMs, timeZone);
  if (calendar.length === 0) return { period: request.period, timeZone, baseStepMs: HOUR_MS, buckets: [] };
  const baseStepMs = hourAlignedZone(request.fromMs, request.toMs, timeZone) ? HOUR_MS : 15 * MINUTE_MS;
  // `to` is exclusive: the first and last periods are cut to the range, widened only to whole base
  // buckets (energy is known per base bucket), so a range inside a day reports that part of it.
  const buckets = clipBuckets(calendar, floorTo(request.fromMs, baseStepMs), ceilTo(request.toMs, baseStepMs), timeZone);
  const first = buckets[0];
  const last = buckets[buckets.length - 1];
  if (first === undefined || last === undefined) return { period: request.period, timeZone, baseStepMs, buckets: [] };
  const filter = { householdId: request.household.id, deviceId: request.deviceId };
  const [inRange, before] = await Promise.all([
    baseCounters(history, filter, { fromMs: first.startMs, toMs: last.endMs }, baseStepMs, nowMs),
    baseCounters(history, filter, { fromMs: floorTo(first.startMs - COUNTER_LOOKBACK_MS, baseStepMs), toMs: first.startMs }, baseStepMs, nowMs),
  ]);
  const perSeries = new Map<string, BucketEnergy[]>();
  for (const [key, list] of inRange.counters) perSeries.set(key, energyFromCounters(list, before.counters.get(key)?.at(-1)?.last));
  const energies = new Map([...groupByDevice(perSeries)].map(([device, lists]) => [device, sumEnergies(lists)]));
  const devices = [...energies.keys()].sort();
  const kwh = new Map(devices.map((d) => [d, sumIntoBuckets(energies.get(d) ?? [], buckets).map((wh) => wh / 1000)]));
  const costs = withCost ? new Map(devices.map((d) => [d, buckets.map((b) => bucketCost(energies.get(d) ?? [], b, (e) => costOf(tariff, timeZone, e)))])) : undefined;
  const approximation = inRange.hourlyBeforeMs === undefined ? undefined : { untilMs: inRange.hourlyBeforeMs, baseStepMs: HOUR_MS, reason: HOURLY_REASON };
  return {
    period: request.period,
    timeZone,
    baseStepMs,
    ...(approximation === undefined ? {} : { approximation }),
    buckets: buckets.map((b, i) => {
      const perDevice = devices.map((d) => kwh.get(d)?.[i] ?? 0);
      const entry = { start: b.label, startMs: b.startMs, endMs: b.endMs, totalKwh: rounded(sum(perDevice)), devices: roundedByDevice(devices, perDevice) };
      if (costs === undefined) return entry;
      const deviceCosts = devices.map((d) => costs.get(d)?.[i] ?? 0);
      return { ...entry, cost: rounded(sum(deviceCosts)), deviceCosts: roundedByDevice(devices, deviceCosts) };
    }),
  };
}

const HOURLY_REASON =
  'quarter-hour data before untilMs has expired: energy there is read per UTC hour, each hour booked to the local period in which it starts (up to 45 minutes shift across local midnights)';

function bucketCost(energies: readonly BucketEnergy[], bucket: { startMs: number; endMs: number }, price: (e: BucketEnergy[]) => number): number {
  return price(energies.filter((e) => e.startMs >= bucket.startMs && e.startMs < bucket.endMs));
}

/**
 * Six decimals: a milliwatt-hour, a millionth of a currency unit. Sums of binary fractions carry
 * noise (10.799999999999995 for 10.80) that a client would print; nothing a bill needs is lost.
 * Totals are summed before rounding, so they are not sums of rounded parts.
 */
function rounded(value: number): number {
  return Math.round(value * 1e6) / 1e6;
}

function roundedByDevice(devices: readonly string[], values: readonly number[]): Record<string, number> {
  return Object.fromEntries(devices.map((d, i) => [d, rounded(values[i] ?? 0)]));
}

function sum(values: readonly number[]): number {
  return values.reduce((a, b) => a + b, 0);
}
