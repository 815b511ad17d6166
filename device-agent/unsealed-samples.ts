// What the container builder holds between seals: each sample's readings with the wall clock's
// offset from monotonic time when it was taken, so a step of the wall clock since then can be
// corrected at the seal, and a bound on how many readings wait while sealing keeps failing.
import type { Measurement } from '../proto/container.js';
import type { Logger } from '../lib/log.js';
import { stampSpan } from './stamp-span.js';

/**
 * Readings held while sealing fails (a full SD card): a disk that refuses every seal for days must
 * not make the agent hold every reading until the heap runs out. About 8 MB; 12 hours of 5
 * simulated sockets. The newest are kept, as the full outbox keeps its newest entries.
 */
export const DEFAULT_MAX_UNSEALED_MEASUREMENTS = 100_000;

export interface Sample {
  /** clock.now() − clock.monotonicMs() when the sample was taken. */
  readonly wallOffsetMs: number;
  /** How far its stamp was ahead of the wall clock: held after a step back (reading-stamps.ts). */
  readonly leadMs: number;
  readonly measurements: Measurement[];
}

/** A wall clock step smaller than this is left alone: NTP slews below 128 ms, timers jitter. */
export const CLOCK_STEP_MS = 1000;

/**
 * The samples' readings, each sample's stamps moved forward by any forward step of the wall clock
 * since it was taken. A Pi without a real-time clock boots with the time it saved at shutdown
 * (fake-hwclock, systemd-timesyncd), hours or weeks behind, until NTP steps it: readings taken
 * before the step would be stored at the wrong time, or refused by the broker as too old (30 days)
 * and lost. The clock after the step is the corrected one, and monotonic time says how long ago
 * each sample was. A step back is left alone here: reading-stamps.ts keeps stamps from going back.
 * A sample stamped ahead of the wall clock (held after a step back) moves only as far as the step
 * exceeds its lead, to its monotonic time on the corrected clock; every sample stays after the one
 * before, as reading-stamps.ts gave them.
 */
export function restamped(samples: readonly Sample[], wallOffsetNowMs: number, log: Logger): Measurement[] {
  const stepMs = (s: Sample): number => Math.round(wallOffsetNowMs - s.wallOffsetMs);
  const stepped = samples.filter((s) => stepMs(s) >= CLOCK_STEP_MS);
  if (stepped.length === 0) return samples.flatMap((s) => s.measurements);
  log.warn({ stepMs: stepMs(stepped[0]!), samples: stepped.length }, 'the wall clock stepped forward since these samples were taken; their readings are restamped');
  let newestMs = Number.NEGATIVE_INFINITY;
  let newestBeforeMs = Number.NEGATIVE_INFINITY;
  return samples.flatMap((s) => {
    const { firstMs, lastMs } = stampSpan(s.measurements);
    const step = stepMs(s);
    const movedMs = step < CLOCK_STEP_MS ? 0 : Math.max(0, step - s.leadMs);
    // Two samples a millisecond apart (reading-stamps.ts) may meet on the corrected clock. Samples
    // out of order before (a step back of more than a day, followed) are left so.
    const shiftMs = firstMs > newestBeforeMs ? Math.max(movedMs, newestMs + 1 - firstMs) : movedMs;
    newestMs = lastMs + shiftMs;
    newestBeforeMs = lastMs;
    return shiftMs === 0 ? s.measurements : s.measurements.map((m) => ({ ...m, timestampMs: m.timestampMs + shiftMs }));
  });
}

/** Drops the oldest readings beyond `max` from `samples` (in place); how many it dropped. */
export function dropOldestBeyond(samples: Sample[], max: number): number {
  const excess = samples.reduce((sum, s) => sum + s.measurements.length, 0) - max;
  let left = excess;
  while (left > 0) {
    const oldest = samples[0]!;
    if (oldest.measurements.length <= left) {
      left -= oldest.measurements.length;
      samples.shift();
    } else {
      samples[0] = { ...oldest, measurements: oldest.measurements.slice(left) };
      left = 0;
    }
  }
  return Math.max(0, excess);
}
