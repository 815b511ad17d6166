// Which stored data answers which part of a range. Rolled-up data is cheaper (one row per minute or
// hour instead of one per reading) but only complete up to its horizon — the continuous query
// writes a bucket some time after it closed — so a query reads the coarsest rollup that divides
// the step for the older part, a finer one after its horizon, and raw data for the newest part.
// Boundaries fall on the step grid, so no bucket is split between two sources.
import { floorTo } from './durations.js';

export type SourceName = 'raw' | 'rollup_1m' | 'rollup_1h';

export interface RollupSource {
  readonly name: Exclude<SourceName, 'raw'>;
  readonly stepMs: number;
  /** How long after a bucket closes it is certainly written (CQ period plus margin). */
  readonly lagMs: number;
  readonly retentionMs: number;
}

export interface SourceCatalogue {
  readonly rawRetentionMs: number;
  /** Coarsest first. */
  readonly rollups: readonly RollupSource[];
}

export interface SourceSegment {
  readonly source: SourceName;
  readonly fromMs: number;
  readonly toMs: number;
}

/** Buckets of `rollup` before this instant are final. */
export function rollupHorizonMs(rollup: RollupSource, nowMs: number): number {
  return floorTo(nowMs - rollup.lagMs, rollup.stepMs);
}

/** Segments covering [fromMs, toMs) for a GROUP BY time(stepMs); fromMs must lie on the step grid. */
export function planSources(catalogue: SourceCatalogue, range: { fromMs: number; toMs: number; stepMs: number; nowMs: number }): SourceSegment[] {
  const segments: SourceSegment[] = [];
  let cursor = range.fromMs;
  for (const rollup of catalogue.rollups) {
    if (range.stepMs % rollup.stepMs !== 0) continue;
    const end = Math.min(range.toMs, floorTo(rollupHorizonMs(rollup, range.nowMs), range.stepMs));
    if (end > cursor) {
      segments.push({ source: rollup.name, fromMs: cursor, toMs: end });
      cursor = end;
    }
  }
  if (cursor < range.toMs) segments.push({ source: 'raw', fromMs: cursor, toMs: range.toMs });
  return segments;
}

/**
 * The finest step the data can answer from `fromMs` on: raw data while it is kept, then the
 * rollups' steps. Used to bound the resolution of old ranges.
 */
export function finestStepMs(catalogue: SourceCatalogue, fromMs: number, nowMs: number): number {
  if (fromMs >= nowMs - catalogue.rawRetentionMs) return 1_000;
  const finerFirst = [...catalogue.rollups].sort((a, b) => a.stepMs - b.stepMs);
  const usable = finerFirst.find((r) => fromMs >= nowMs - r.retentionMs);
  return usable?.stepMs ?? finerFirst[finerFirst.length - 1]?.stepMs ?? 1_000;
}

/**
 * The oldest instant that data at `stepMs` can still be read from: the longest-kept source whose
 * step divides it (raw divides every step). Older buckets need a coarser step.
 */
export function oldestReadableMs(catalogue: SourceCatalogue, stepMs: number, nowMs: number): number {
  const kept = Math.max(catalogue.rawRetentionMs, ...catalogue.rollups.filter((r) => stepMs % r.stepMs === 0).map((r) => r.retentionMs));
  return nowMs - kept;
}
