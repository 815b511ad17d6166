// Warm start from InfluxDB: what the engine would have learnt had it been running — per series (one
// device id from one agent: several agents may report devices of the same name, and their readings
// are never merged) when it was last heard, its recent power, its energy counter, and the
// household's energy of the current local day (energy_wh counters per hour and series,
// lib/energy/counter-energy.ts, summed, as the read service computes it). Only raw data (the default
// retention policy): the write service's table.
import { energyFromCounters, type CounterBucket } from '../../../lib/energy/counter-energy.js';
import { localParts, instantOfLocal } from '../../../lib/time/local-time.js';
import { pingInflux, parseInfluxQueryResponse, type InfluxSeries } from '../../../infra/influx-http.js';
import { dayKey, type ReadingsSeed, type SeriesSeed } from '../domain/household-readings.js';

export interface InfluxOptions {
  readonly url: string;
  readonly database: string;
  readonly timeoutMs: number;
  readonly username?: string;
  readonly password?: string;
}

export interface WarmStart {
  seed(householdId: string, timeZone: string, nowMs: number): Promise<ReadingsSeed>;
  ping(): Promise<boolean>;
}

const str = (v: string): string => `'${v.replaceAll('\\', '\\\\').replaceAll("'", "\\'")}'`;
/** One (agent, device) series; JSON keeps any two different pairs apart. */
const seriesKey = (tags: Readonly<Record<string, string>>): string => JSON.stringify([tags['agent'] ?? '', tags['device'] ?? '']);
const num = (v: unknown): number | undefined => (typeof v === 'number' && Number.isFinite(v) ? v : undefined);

export function createWarmStart(options: InfluxOptions, lookbackMs: number, powerStaleMs: number): WarmStart {
  const headers: Record<string, string> = {};
  if (options.username !== undefined) headers['authorization'] = `Basic ${Buffer.from(`${options.username}:${options.password ?? ''}`).toString('base64')}`;
  const query = async (influxql: string): Promise<InfluxSeries[]> => {
    const form = new URLSearchParams({ q: influxql, epoch: 'ms', db: options.database });
    const response = await fetch(`${options.url}/query`, { method: 'POST', body: form, headers, signal: AbortSignal.timeout(options.timeoutMs) });
    return parseInfluxQueryResponse(await response.text(), `${response.status}`);
  };
  /** The last value per series, keyed by seriesKey. */
  const lastPerSeries = async (where: string): Promise<Map<string, { timeMs: number; value: number }>> => {
    const series = await query(`SELECT last("value") FROM "reading" WHERE ${where} GROUP BY "agent", "device"`);
    const out = new Map<string, { timeMs: number; value: number }>();
    for (const s of series) {
      const row = s.values[0] ?? [];
      const timeMs = num(row[0]);
      const value = num(row[1]);
      if (timeMs !== undefined && value !== undefined) out.set(seriesKey(s.tags), { timeMs, value });
    }
    return out;
  };
  return {
    async seed(householdId, timeZone, nowMs) {
      const h = `"household" = ${str(householdId)}`;
      const p = localParts(nowMs, timeZone);
      const dayStartMs = instantOfLocal(timeZone, p.year, p.month, p.day);
      const energy = `${h} AND "quantity" = 'energy_wh'`;
      const [seen, power, before, today, buckets] = await Promise.all([
        lastPerSeries(`${h} AND time > ${(nowMs - lookbackMs)}ms`),
        lastPerSeries(`${h} AND "quantity" = 'power_w' AND time > ${(nowMs - powerStaleMs)}ms`),
        lastPerSeries(`${energy} AND time >= ${(dayStartMs - lookbackMs)}ms AND time < ${dayStartMs}ms`),
        lastPerSeries(`${energy} AND time >= ${dayStartMs}ms`),
        query(
          `SELECT first("value"), last("value"), min("value"), max("value") FROM "reading" WHERE ${energy} ` +
            `AND time >= ${dayStartMs}ms GROUP BY time(1h), "agent", "device" fill(none)`,
        ),
      ]);
      let dayWh = 0;
      for (const s of buckets) {
        const counters: CounterBucket[] = s.values.flatMap((row) => {
          const [startMs, first, last, min, max] = row.map(num);
          return startMs === undefined || first === undefined || last === undefined || min === undefined || max === undefined ? [] : [{ startMs, first, last, min, max }];
        });
        // Differenced within the series only, then summed: never across two agents' counters.
        dayWh += energyFromCounters(counters, before.get(seriesKey(s.tags))?.value).reduce((sum, e) => sum + e.energyWh, 0);
      }
      const series: SeriesSeed[] = [];
      for (const [key, last] of seen) {
        const [agentId = '', deviceId = ''] = JSON.parse(key) as string[];
        const w = power.get(key);
        const counter = today.get(key) ?? before.get(key);
        series.push({
          agentId,
          deviceId,
          lastSeenMs: last.timeMs,
          ...(w === undefined ? {} : { powerW: w.value, powerAtMs: w.timeMs }),
          ...(counter === undefined ? {} : { counterWh: counter.value, counterAtMs: counter.timeMs }),
        });
      }
      return { series, day: dayKey(nowMs, timeZone), dayWh };
    },
    ping: () => pingInflux(options.url, options.timeoutMs),
  };
}
