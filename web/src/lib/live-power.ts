// Current household power from the live stream: the latest power_w of each device, and the total
// (sum over devices) after each sampling instant, kept for the last `windowMs`.
import type { LiveContainer } from '../api/types';

export interface DevicePower {
  readonly device: string;
  readonly watts: number;
  readonly ts: number;
}

export interface LivePower {
  readonly devices: ReadonlyMap<string, DevicePower>;
  /** [time ms, total W], oldest first. */
  readonly totals: readonly (readonly [number, number])[];
}

export const EMPTY_LIVE_POWER: LivePower = { devices: new Map(), totals: [] };

/** A device that has been silent this long no longer counts toward the total. */
const STALE_MS = 5 * 60_000;

export function applyContainer(state: LivePower, container: LiveContainer, windowMs: number): LivePower {
  const power = container.readings.filter((r) => r.quantity === 'power_w' && Number.isFinite(r.value)).sort((a, b) => a.ts - b.ts);
  if (power.length === 0) return state;
  const devices = new Map(state.devices);
  const totals = [...state.totals];
  let i = 0;
  while (i < power.length) {
    const ts = power[i]!.ts;
    for (; i < power.length && power[i]!.ts === ts; i++) {
      const reading = power[i]!;
      const known = devices.get(reading.device);
      if (known === undefined || known.ts <= reading.ts) devices.set(reading.device, { device: reading.device, watts: reading.value, ts: reading.ts });
    }
    const last = totals[totals.length - 1];
    if (last === undefined || last[0] <= ts) {
      const total = totalAt(devices, ts);
      if (last !== undefined && last[0] === ts) totals[totals.length - 1] = [ts, total];
      else totals.push([ts, total]);
    }
  }
  const newest = totals[totals.length - 1]?.[0] ?? 0;
  const firstKept = totals.findIndex(([t]) => t >= newest - windowMs);
  return { devices, totals: firstKept > 0 ? totals.slice(firstKept) : totals };
}

function totalAt(devices: ReadonlyMap<string, DevicePower>, ts: number): number {
  let sum = 0;
  for (const d of devices.values()) if (ts - d.ts <= STALE_MS) sum += d.watts;
  return sum;
}

/** Seeds the chart from the power history (household total per bucket). */
export function seedFromHistory(total: readonly { t: number; mean: number }[], series: readonly { device: string; points: readonly { t: number; mean: number }[] }[]): LivePower {
  const devices = new Map<string, DevicePower>();
  for (const s of series) {
    const last = s.points[s.points.length - 1];
    if (last !== undefined) devices.set(s.device, { device: s.device, watts: last.mean, ts: last.t });
  }
  return { devices, totals: total.map((p) => [p.t, p.mean] as const) };
}

export function currentTotal(state: LivePower): number | undefined {
  return state.totals[state.totals.length - 1]?.[1];
}
