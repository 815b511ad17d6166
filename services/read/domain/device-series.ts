// A device id names a device within its household, and several agents of one household may report
// the same id (the demo household's three agents each have a "fridge"). Their readings are separate
// series — one per (agent, device) — and are never mixed point by point: power is summed across
// them (a device's power is the sum over its agents, the household's the sum over every series), an
// energy counter is differenced within its own series and the differences are summed.
import type { BucketEnergy } from './counter-energy.js';

export interface PowerPoint {
  readonly t: number;
  readonly mean: number;
  readonly max: number;
}

/** Key of one series in per-series maps. Agent ids never hold '/' (proto/topics.ts ID_PATTERN). */
export function seriesKey(agent: string, device: string): string {
  return `${agent}/${device}`;
}

export function deviceOfSeries(key: string): string {
  return key.slice(key.indexOf('/') + 1);
}

export function agentOfSeries(key: string): string {
  return key.slice(0, key.indexOf('/'));
}

/** Per-series rows grouped by device: device → its series' row lists. */
export function groupByDevice<T>(perSeries: ReadonlyMap<string, T>): Map<string, T[]> {
  const out = new Map<string, T[]>();
  for (const [key, value] of perSeries) {
    const device = deviceOfSeries(key);
    const list = out.get(device) ?? [];
    list.push(value);
    out.set(device, list);
  }
  return out;
}

/**
 * A reading stands for the power until the next one, for at most this long. At steps finer than
 * the agents' sampling (a live view at 1 s), series sampled at different instants each have points
 * in different buckets; summing only the series that happen to have a point would make the sum
 * jump between one agent's value and another's. A series without a point in a bucket counts with
 * its latest earlier point, when that is less than HOLD_MS older (agents sample every 5 s by
 * default, at most every 60 s). At steps of HOLD_MS or more nothing is held.
 */
export const HOLD_MS = 60_000;

/**
 * Power points of several series of one step, summed per bucket (mean and max each summed; the
 * max of a sum is at most the sum of the maxes, so the summed max is an upper bound). A series
 * without a point in a bucket adds its held point (HOLD_MS). One series comes back as it is.
 */
export function sumPowerSeries(series: readonly (readonly PowerPoint[])[], holdMs: number = HOLD_MS): readonly PowerPoint[] {
  if (series.length === 1) return series[0] ?? [];
  const times = [...new Set(series.flatMap((s) => s.map((p) => p.t)))].sort((a, b) => a - b);
  const cursors = series.map(() => -1);
  return times.map((t) => {
    let mean = 0;
    let max = 0;
    for (const [i, points] of series.entries()) {
      let at = cursors[i] ?? -1;
      while (at + 1 < points.length && (points[at + 1]?.t ?? Infinity) <= t) at += 1;
      cursors[i] = at;
      const point = points[at];
      if (point === undefined || (point.t !== t && t - point.t >= holdMs)) continue;
      mean += point.mean;
      max += point.max;
    }
    return { t, mean, max };
  });
}

/** Base-bucket energies of several series summed per bucket start (ascending). */
export function sumEnergies(series: readonly (readonly BucketEnergy[])[]): BucketEnergy[] {
  if (series.length === 1) return [...(series[0] ?? [])];
  const sums = new Map<number, number>();
  for (const list of series) for (const e of list) sums.set(e.startMs, (sums.get(e.startMs) ?? 0) + e.energyWh);
  return [...sums].sort(([a], [b]) => a - b).map(([startMs, energyWh]) => ({ startMs, energyWh }));
}
