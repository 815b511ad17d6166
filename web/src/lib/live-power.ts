// Current household power from the live stream, kept for the last `windowMs`.
//
// A device id names a device within its household, and several agents of one household may report
// the same id (the demo household's three agents each have a `fridge`). Their readings are separate
// series, one per (agent, device), as in the read and alerts services (services/read/README.md,
// "Devices reported by several agents"): a device's power is the sum over its agents of each one's
// latest power_w, the household's the sum over every (agent, device) series.
import type { LiveContainer } from '../api/types';

export interface DevicePower {
  readonly device: string;
  readonly watts: number;
  readonly ts: number;
}

export interface LivePower {
  /** Latest power of each (agent, device) series, keyed by seriesKey. */
  readonly series: ReadonlyMap<string, DevicePower>;
  /**
   * Power from the history seed. Keyed by seriesKey when the answer is split per agent
   * (`split=agent`), so a live reading replaces only its own series' seed and the device's other
   * agents keep counting with theirs. A series without an agent (an answer that sums a device's
   * agents) is keyed by wholeDeviceKey and stands for the whole device until its first live reading.
   */
  readonly seed: ReadonlyMap<string, DevicePower>;
  /** Power per device (sum over its agents) at the newest reading instant. */
  readonly devices: ReadonlyMap<string, DevicePower>;
  /** [time ms, total W], oldest first. */
  readonly totals: readonly (readonly [number, number])[];
}

export const EMPTY_LIVE_POWER: LivePower = { series: new Map(), seed: new Map(), devices: new Map(), totals: [] };

/** A series that has been silent this long no longer counts toward its device or the total. */
const STALE_MS = 5 * 60_000;

/** Agent ids never hold '/' (proto/topics.ts ID_PATTERN). */
function seriesKey(agent: string, device: string): string {
  return `${agent}/${device}`;
}

/** Key of a seed that stands for every agent of a device: '*' is never in an agent id. */
function wholeDeviceKey(device: string): string {
  return `*/${device}`;
}

export function applyContainer(state: LivePower, container: LiveContainer, windowMs: number): LivePower {
  const power = container.readings.filter((r) => r.quantity === 'power_w' && Number.isFinite(r.value)).sort((a, b) => a.ts - b.ts);
  if (power.length === 0) return state;
  const series = new Map(state.series);
  const seed = new Map(state.seed);
  const totals = [...state.totals];
  let i = 0;
  while (i < power.length) {
    const ts = power[i]!.ts;
    for (; i < power.length && power[i]!.ts === ts; i++) {
      const reading = power[i]!;
      const key = seriesKey(container.agent, reading.device);
      const known = series.get(key);
      if (known === undefined || known.ts <= reading.ts) series.set(key, { device: reading.device, watts: reading.value, ts: reading.ts });
      seed.delete(key);
      seed.delete(wholeDeviceKey(reading.device));
    }
    const last = totals[totals.length - 1];
    if (last === undefined || last[0] <= ts) {
      const total = sumWatts(devicesAt(series, seed, ts));
      if (last !== undefined && last[0] === ts) totals[totals.length - 1] = [ts, total];
      else totals.push([ts, total]);
    }
  }
  const newest = totals[totals.length - 1]?.[0] ?? 0;
  const firstKept = totals.findIndex(([t]) => t >= newest - windowMs);
  return { series, seed, devices: devicesAt(series, seed, newest), totals: firstKept > 0 ? totals.slice(firstKept) : totals };
}

/** Each device's power at `ts`: the sum of its series (or its seed) not silent for STALE_MS. */
function devicesAt(series: ReadonlyMap<string, DevicePower>, seed: ReadonlyMap<string, DevicePower>, ts: number): Map<string, DevicePower> {
  const devices = new Map<string, DevicePower>();
  for (const s of [...seed.values(), ...series.values()]) {
    if (ts - s.ts > STALE_MS) continue;
    const known = devices.get(s.device);
    devices.set(s.device, known === undefined ? s : { device: s.device, watts: known.watts + s.watts, ts: Math.max(known.ts, s.ts) });
  }
  return devices;
}

function sumWatts(devices: ReadonlyMap<string, DevicePower>): number {
  let sum = 0;
  for (const d of devices.values()) sum += d.watts;
  return sum;
}

/**
 * Seeds the chart from the power history (household total per bucket; each series' latest bucket),
 * keeping what the live stream already brought: its newer totals and its series, which stand for
 * themselves instead of the seed. Series with an `agent` (the answer to `split=agent`) are seeded
 * per (agent, device); a series without one sums the device's agents and is seeded for the whole
 * device, unless the device is live already.
 */
export function seedFromHistory(
  state: LivePower,
  total: readonly { t: number; mean: number }[],
  series: readonly { device: string; agent?: string; points: readonly { t: number; mean: number }[] }[],
): LivePower {
  const liveDevices = new Set([...state.series.values()].map((s) => s.device));
  const seed = new Map<string, DevicePower>();
  for (const s of series) {
    const last = s.points[s.points.length - 1];
    if (last === undefined) continue;
    const key = s.agent === undefined ? wholeDeviceKey(s.device) : seriesKey(s.agent, s.device);
    const live = s.agent === undefined ? liveDevices.has(s.device) : state.series.has(key);
    if (!live) seed.set(key, { device: s.device, watts: last.mean, ts: last.t });
  }
  const totals: (readonly [number, number])[] = total.map((p) => [p.t, p.mean] as const);
  // The live stream got ahead of the history: its newest instant again, now with the seeded devices.
  const liveNewest = state.totals[state.totals.length - 1]?.[0];
  if (liveNewest !== undefined && liveNewest > (totals[totals.length - 1]?.[0] ?? -Infinity)) totals.push([liveNewest, sumWatts(devicesAt(state.series, seed, liveNewest))]);
  const newest = totals[totals.length - 1]?.[0] ?? Math.max(0, ...[...seed.values()].map((d) => d.ts));
  return { series: state.series, seed, devices: devicesAt(state.series, seed, newest), totals };
}

export function currentTotal(state: LivePower): number | undefined {
  return state.totals[state.totals.length - 1]?.[1];
}
