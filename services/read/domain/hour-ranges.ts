// Hour starts gathered into ranges of consecutive hours, so marked hours are repaired with one
// reconciliation per run of hours rather than one per hour.
import { HOUR_MS } from './durations.js';

/** Consecutive hours (sorted starts) as [fromMs, toMs) ranges. */
export function hourRanges(sortedHours: readonly number[]): { fromMs: number; toMs: number }[] {
  const ranges: { fromMs: number; toMs: number }[] = [];
  for (const hour of sortedHours) {
    const last = ranges[ranges.length - 1];
    if (last !== undefined && last.toMs === hour) last.toMs = hour + HOUR_MS;
    else ranges.push({ fromMs: hour, toMs: hour + HOUR_MS });
  }
  return ranges;
}
