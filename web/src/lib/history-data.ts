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

/** Every time (ms) of an answer, of any device or the total, ascending: the x of its columns. */
function answerTimes(answer: PowerAnswer): number[] {
  const times = new Set<number>();
  for (const s of answer.series) for (const p of s.points) times.add(p.t);
  for (const p of answer.total) times.add(p.t);
  return [...times].sort((a, b) => a - b);
}

export function powerColumns(answer: PowerAnswer, hidden: ReadonlySet<string>): PowerColumns {
  const x = answerTimes(answer);
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
 * Each time of the previous period's answer moved by `move` onto this period (to the same local
 * time a day, week, … later), in ms. Kept apart from the totals because showing or hiding a device
 * does not move them again: a move formats about three dates, some 36 ms for a month's 1,500 points.
 */
export function movedTimes(previous: PowerAnswer, move: (ms: number) => number): number[] {
  return answerTimes(previous).map(move);
}

/**
 * The previous period's total (of the shown devices) at its `moved` times (from movedTimes), laid
 * onto this period's `xS` (seconds).
 */
export function shiftedTotal(previous: PowerAnswer, hidden: ReadonlySet<string>, moved: readonly number[], xS: readonly number[]): Column {
  const cols = powerColumns(previous, hidden);
  const byT = new Map<number, number | null>();
  moved.forEach((t, i) => byT.set(t, cols.total[i] ?? null));
  // A moved time misses this period's bucket grid when the two periods' UTC offsets differ and the
  // grid (aligned in UTC) is coarser than an hour: take the nearest earlier bucket within one step.
  const step = cols.x.length > 1 ? (cols.x[1]! - cols.x[0]!) * 1000 : 0;
  const keys = [...byT.keys()].sort((a, b) => a - b);
  // xS ascends, so the latest key at or before each time only moves forward.
  let at = -1;
  return xS.map((s) => {
    const t = Math.round(s * 1000);
    const exact = byT.get(t);
    if (exact !== undefined) return exact;
    while (at + 1 < keys.length && keys[at + 1]! <= t) at += 1;
    const best = keys[at];
    return best === undefined || t - best >= step ? null : (byT.get(best) ?? null);
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
