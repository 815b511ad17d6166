// What the engine remembers of one household's readings: per series — one device id as sent by one
// agent — when it was last heard, its latest power and its energy counter; and the energy of the
// household's current local day.
// A device id names a device within its household, and several agents (Pis) may each report one
// of that name: their readings are separate series, never merged. A device's power is the sum of
// its series' latest power, the household's the sum over all series. Day energy follows the read
// service (lib/energy/counter-energy.ts) per series: a reading's energy is its counter minus the
// previous counter of the same series, booked on the local day of the reading, and a counter that
// goes down was reset — that step counts nothing rather than something negative.
import type { Measurement } from '../../../proto/container.js';
import { localParts } from '../../../lib/time/local-time.js';

/** One (agent, device) series. */
export interface SeriesState {
  /** When the service last received anything of the series (its clock, not the agent's). */
  lastSeenMs?: number;
  powerW?: number;
  powerAtMs?: number;
  counterWh?: number;
  counterAtMs?: number;
}

export interface SeriesSeed extends Readonly<SeriesState> {
  readonly agentId: string;
  readonly deviceId: string;
}

/** What a warm start found in InfluxDB. */
export interface ReadingsSeed {
  readonly series: readonly SeriesSeed[];
  /** Local day key (see dayKey) and the household's energy on it so far. */
  readonly day: string;
  readonly dayWh: number;
}

export function dayKey(ms: number, timeZone: string): string {
  const p = localParts(ms, timeZone);
  return `${p.year}-${String(p.month).padStart(2, '0')}-${String(p.day).padStart(2, '0')}`;
}

export class HouseholdReadings {
  /** Per device id, per agent that sends it. */
  private readonly devices = new Map<string, Map<string, SeriesState>>();
  private day: string | undefined;
  private wh = 0;
  /** The day before `day` and its final energy (what a daily alert resolving at midnight reports). */
  private previous: { readonly day: string; readonly wh: number } | undefined;

  constructor(readonly timeZone: string) {}

  /** The same series in another time zone; the day energy starts over (a warm start fills it in). */
  inTimeZone(timeZone: string): HouseholdReadings {
    const copy = new HouseholdReadings(timeZone);
    for (const [deviceId, agents] of this.devices) copy.devices.set(deviceId, new Map([...agents].map(([agentId, s]) => [agentId, { ...s }])));
    return copy;
  }

  seed(seed: ReadingsSeed): void {
    for (const seeded of seed.series) {
      const series = this.seriesState(seeded.agentId, seeded.deviceId);
      if (seeded.lastSeenMs !== undefined) series.lastSeenMs = Math.max(series.lastSeenMs ?? 0, seeded.lastSeenMs);
      if (seeded.powerW !== undefined && (seeded.powerAtMs ?? 0) > (series.powerAtMs ?? -Infinity)) {
        series.powerW = seeded.powerW;
        series.powerAtMs = seeded.powerAtMs;
      }
      if (seeded.counterWh !== undefined && series.counterWh === undefined) {
        series.counterWh = seeded.counterWh;
        series.counterAtMs = seeded.counterAtMs;
      }
    }
    // Only the first seed of a day counts its energy: later ones (after a reconnect) overlap live data.
    if (this.day === undefined) {
      this.day = seed.day;
      this.wh = seed.dayWh;
    }
  }

  observe(measurement: Measurement, receivedAtMs: number, agentId: string): void {
    const series = this.seriesState(agentId, measurement.deviceId);
    series.lastSeenMs = Math.max(series.lastSeenMs ?? 0, receivedAtMs);
    const ts = measurement.timestampMs;
    if (measurement.quantity === 'power_w' && ts >= (series.powerAtMs ?? -Infinity)) {
      series.powerW = measurement.value;
      series.powerAtMs = ts;
    } else if (measurement.quantity === 'energy_wh' && ts > (series.counterAtMs ?? -Infinity)) {
      this.addCounter(series, measurement.value, ts);
    }
  }

  /** Device ids heard (live or by a warm start). */
  deviceIds(): string[] {
    return [...this.devices.keys()];
  }

  /** When any agent last sent the device. */
  lastSeenMs(deviceId: string): number | undefined {
    let last: number | undefined;
    for (const s of this.devices.get(deviceId)?.values() ?? []) if (s.lastSeenMs !== undefined) last = Math.max(last ?? -Infinity, s.lastSeenMs);
    return last;
  }

  /** Energy of the local day of `nowMs` so far, in Wh (0 once a new day began). */
  dayWh(nowMs: number): number {
    this.rollTo(dayKey(nowMs, this.timeZone));
    return this.wh;
  }

  /** Energy of a given local day, when it is the current or the previous one. */
  whOf(day: string): number | undefined {
    if (day === this.day) return this.wh;
    return this.previous?.day === day ? this.previous.wh : undefined;
  }

  /**
   * Sum of the latest power of every series (or of one device's series), counting only readings
   * newer than `staleAfterMs`: a stale series drops out on its own. Undefined when none is fresh.
   */
  powerW(deviceId: string | undefined, nowMs: number, staleAfterMs: number): number | undefined {
    const devices = deviceId === undefined ? [...this.devices.values()] : [this.devices.get(deviceId) ?? new Map<string, SeriesState>()];
    let total: number | undefined;
    for (const agents of devices) {
      for (const s of agents.values()) {
        if (s.powerW !== undefined && (s.powerAtMs ?? 0) >= nowMs - staleAfterMs) total = (total ?? 0) + s.powerW;
      }
    }
    return total;
  }

  private addCounter(series: SeriesState, valueWh: number, ts: number): void {
    const key = dayKey(ts, this.timeZone);
    const delta = series.counterWh === undefined ? 0 : Math.max(0, valueWh - series.counterWh);
    series.counterWh = valueWh;
    series.counterAtMs = ts;
    if (this.day === undefined || key > this.day) this.rollTo(key);
    if (key === this.day) this.wh += delta;
  }

  private rollTo(key: string): void {
    if (this.day !== undefined && key <= this.day) return;
    if (this.day !== undefined) this.previous = { day: this.day, wh: this.wh };
    this.day = key;
    this.wh = 0;
  }

  private seriesState(agentId: string, deviceId: string): SeriesState {
    let agents = this.devices.get(deviceId);
    if (agents === undefined) {
      agents = new Map();
      this.devices.set(deviceId, agents);
    }
    let series = agents.get(agentId);
    if (series === undefined) {
      series = {};
      agents.set(agentId, series);
    }
    return series;
  }
}
