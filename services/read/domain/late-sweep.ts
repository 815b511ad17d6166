// Which part of the late window one reconciliation pass checks beyond its regular lookback.
//
// The broker accepts readings up to 30 days old (an agent's outbox after a long outage), but
// comparing raw and rolled-up counts over 30 days at every pass would scan a month of raw points
// every few minutes. InfluxDB 1.6 records no ingest time; the write service marks the hours it
// writes late readings into (influx/late-hour-marks.ts), but a mark can be lost (written by an
// older writer, refused, or older than the marks read at start). For those, each pass checks one more day of
// the window, newest first, and starts over at the lookback's edge after the oldest: the whole
// window is covered every (window − lookback) / 1 day passes — 28 passes, 2 h 20 min at the default
// 5-minute interval — for at most half the regular pass's cost (one day beside its two).
import { DAY_MS, floorTo, HOUR_MS } from './durations.js';

export interface SweepSlice {
  readonly fromMs: number;
  readonly toMs: number;
}

/**
 * The slice after `previous` (undefined at start): the day before it, or, past the window's oldest
 * hour, the day before the regular lookback's edge. Undefined when the lookback covers the window.
 */
export function nextSweepSlice(previous: SweepSlice | undefined, options: { nowMs: number; lookbackMs: number; windowMs: number }): SweepSlice | undefined {
  const edge = floorTo(options.nowMs - options.lookbackMs, HOUR_MS);
  const oldest = floorTo(options.nowMs - options.windowMs, HOUR_MS);
  if (edge <= oldest) return undefined;
  const cursor = previous === undefined || previous.fromMs <= oldest || previous.fromMs > edge ? edge : previous.fromMs;
  return { fromMs: Math.max(cursor - DAY_MS, oldest), toMs: cursor };
}
