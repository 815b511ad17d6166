// Turns the read service's answers into uPlot's aligned columns: x in seconds, one column per
// shown device, the total of the shown devices, and optionally the previous period's total moved
// onto this period's time axis.
import type { EnergyBucket, PowerAnswer } from '../api/types';

export type Column = (number | null)[];

export interface PowerColumns {
  readonly x: number[];
  readonly devices: { device: string; values: Column }[];
  readonly total: Column;
}

export function powerColumns(answer: PowerAnswer, hidden: ReadonlySet<string>): PowerColumns {
  const times = new Set<number>();
  for (const s of answer.series) for (const p of s.points) times.add(p.t);
  for (const p of answer.total) times.add(p.t);
  const x = [...times].sort((a, b) => a - b);
  const devices = answer.series
    .filter((s) => !hidden.has(s.device))
    .map((s) => {
      const byT = new Map(s.points.map((p) => [p.t, p.mean]));
      return { device: s.device, values: x.map((t) => byT.get(t) ?? null) };
    });
  const total = x.map((_, i) => {
    let sum: number | null = null;
    for (const d of devices) {
      const v = d.values[i];
      if (v !== null && v !== undefined) sum = (sum ?? 0) + v;
    }
    return sum;
  });
  return { x: x.map((t) => t / 1000), devices, total };
}

/**
 * The previous period's total (of the shown devices), each time moved by `move` onto this period
 * (to the same local time a day, week, … later) and laid onto `xS` (seconds).
 */
export function shiftedTotal(previous: PowerAnswer, hidden: ReadonlySet<string>, move: (ms: number) => number, xS: readonly number[]): Column {
  const cols = powerColumns(previous, hidden);
  const byT = new Map<number, number | null>();
  cols.x.forEach((t, i) => byT.set(move(Math.round(t * 1000)), cols.total[i] ?? null));
  // A moved time misses this period's bucket grid when the two periods' UTC offsets differ and the
  // grid (aligned in UTC) is coarser than an hour: take the nearest earlier bucket within one step.
  const step = cols.x.length > 1 ? (cols.x[1]! - cols.x[0]!) * 1000 : 0;
  const keys = [...byT.keys()].sort((a, b) => a - b);
  return xS.map((s) => {
    const t = Math.round(s * 1000);
    const exact = byT.get(t);
    if (exact !== undefined) return exact;
    let best: number | undefined;
    for (const k of keys) if (k <= t && t - k < step) best = k;
    return best === undefined ? null : (byT.get(best) ?? null);
  });
}

export interface BarColumns {
  readonly x: number[];
  readonly kwh: number[];
  readonly cost: (number | null)[];
}

/** Energy and cost per bucket, counting only the shown devices. */
export function barColumns(buckets: readonly EnergyBucket[], hidden: ReadonlySet<string>): BarColumns {
  const shown = (record: Record<string, number> | undefined, whole: number | undefined): number | null => {
    if (record === undefined) return whole ?? null;
    if (hidden.size === 0) return whole ?? Object.values(record).reduce((a, b) => a + b, 0);
    return Object.entries(record).reduce((sum, [device, v]) => (hidden.has(device) ? sum : sum + v), 0);
  };
  return {
    x: buckets.map((b) => b.startMs / 1000),
    kwh: buckets.map((b) => shown(b.devices, b.totalKwh) ?? 0),
    cost: buckets.map((b) => (b.cost === undefined ? null : shown(b.deviceCosts, b.cost))),
  };
}

export function sum(values: readonly (number | null)[]): number {
  return values.reduce<number>((a, v) => a + (v ?? 0), 0);
}

/**
 * The previous period's bar values set beside this period's buckets `xS` (seconds): each previous
 * bucket's start moved by `move`, so hour meets hour even when the two days have 23 and 24 hours.
 */
export function movedBars(previousXS: readonly number[], values: readonly (number | null)[], move: (ms: number) => number, xS: readonly number[]): Column {
  const byStart = new Map<number, number | null>();
  previousXS.forEach((s, i) => byStart.set(move(Math.round(s * 1000)), values[i] ?? null));
  return xS.map((s) => byStart.get(Math.round(s * 1000)) ?? null);
}
