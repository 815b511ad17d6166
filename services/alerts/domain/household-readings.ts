// What the engine remembers of one household's readings: per device when it was last heard, its
// latest power, and its energy counter; and the energy of the household's current local day.
// Day energy follows the read service (lib/energy/counter-energy.ts): a reading's energy is its
// counter minus the device's previous counter, booked on the local day of the reading, and a
// counter that goes down was reset — that step counts nothing rather than something negative.
import type { Measurement } from '../../../proto/container.js';
import { localParts } from '../../../lib/time/local-time.js';

export interface DeviceState {
  /** When the service last received anything from the device (its clock, not the agent's). */
  lastSeenMs?: number;
  powerW?: number;
  powerAtMs?: number;
  counterWh?: number;
  counterAtMs?: number;
}

/** What a warm start found in InfluxDB. */
export interface ReadingsSeed {
  readonly devices: ReadonlyMap<string, Readonly<DeviceState>>;
  /** Local day key (see dayKey) and the household's energy on it so far. */
  readonly day: string;
  readonly dayWh: number;
}

export function dayKey(ms: number, timeZone: string): string {
  const p = localParts(ms, timeZone);
  return `${p.year}-${String(p.month).padStart(2, '0')}-${String(p.day).padStart(2, '0')}`;
}

export class HouseholdReadings {
  readonly devices = new Map<string, DeviceState>();
  private day: string | undefined;
  private wh = 0;
  /** The day before `day` and its final energy (what a daily alert resolving at midnight reports). */
  private previous: { readonly day: string; readonly wh: number } | undefined;

  constructor(readonly timeZone: string) {}

  seed(seed: ReadingsSeed): void {
    for (const [id, seeded] of seed.devices) {
      const device = this.deviceState(id);
      if (seeded.lastSeenMs !== undefined) device.lastSeenMs = Math.max(device.lastSeenMs ?? 0, seeded.lastSeenMs);
      if (seeded.powerW !== undefined && (seeded.powerAtMs ?? 0) > (device.powerAtMs ?? -Infinity)) {
        device.powerW = seeded.powerW;
        device.powerAtMs = seeded.powerAtMs;
      }
      if (seeded.counterWh !== undefined && device.counterWh === undefined) {
        device.counterWh = seeded.counterWh;
        device.counterAtMs = seeded.counterAtMs;
      }
    }
    // Only the first seed of a day counts its energy: later ones (after a reconnect) overlap live data.
    if (this.day === undefined) {
      this.day = seed.day;
      this.wh = seed.dayWh;
    }
  }

  observe(measurement: Measurement, receivedAtMs: number): void {
    const device = this.deviceState(measurement.deviceId);
    device.lastSeenMs = Math.max(device.lastSeenMs ?? 0, receivedAtMs);
    const ts = measurement.timestampMs;
    if (measurement.quantity === 'power_w' && ts >= (device.powerAtMs ?? -Infinity)) {
      device.powerW = measurement.value;
      device.powerAtMs = ts;
    } else if (measurement.quantity === 'energy_wh' && ts > (device.counterAtMs ?? -Infinity)) {
      this.addCounter(device, measurement.value, ts);
    }
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

  /** Sum of the devices' latest power (or one device's), counting only readings newer than `staleAfterMs`. */
  powerW(deviceId: string | undefined, nowMs: number, staleAfterMs: number): number | undefined {
    const fresh = (d: DeviceState | undefined): number | undefined =>
      d?.powerW !== undefined && (d.powerAtMs ?? 0) >= nowMs - staleAfterMs ? d.powerW : undefined;
    if (deviceId !== undefined) return fresh(this.devices.get(deviceId));
    let total: number | undefined;
    for (const device of this.devices.values()) {
      const w = fresh(device);
      if (w !== undefined) total = (total ?? 0) + w;
    }
    return total;
  }

  private addCounter(device: DeviceState, valueWh: number, ts: number): void {
    const key = dayKey(ts, this.timeZone);
    const delta = device.counterWh === undefined ? 0 : Math.max(0, valueWh - device.counterWh);
    device.counterWh = valueWh;
    device.counterAtMs = ts;
    if (this.day === undefined || key > this.day) this.rollTo(key);
    if (key === this.day) this.wh += delta;
  }

  private rollTo(key: string): void {
    if (this.day !== undefined && key <= this.day) return;
    if (this.day !== undefined) this.previous = { day: this.day, wh: this.wh };
    this.day = key;
    this.wh = 0;
  }

  private deviceState(deviceId: string): DeviceState {
    let device = this.devices.get(deviceId);
    if (device === undefined) {
      device = {};
      this.devices.set(deviceId, device);
    }
    return device;
  }
}
