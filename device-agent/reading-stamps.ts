// The stamps of an agent's samples never go back. InfluxDB keeps one point per series and
// timestamp: a reading stamped at or before one the agent already stamped overwrites it, or lands
// among the readings already stored. The wall clock steps back when NTP corrects a Pi that ran
// fast, when an operator sets it (`date -s`), and when a Pi boots with the time it saved before it
// lost power (fake-hwclock saves it hourly), behind the readings it sent before the reboot.
//
// While the wall clock is at or behind the newest stamp, stamps go on from it at half the pace of
// monotonic time: the wall clock passes them after twice the step, and the agent is back on wall
// time. Readings keep their order and their spacing relative to each other. At full pace the wall
// clock would never pass them: a corrected clock would stay stamped the step ahead for good, each
// later correction adding to it, and past the broker's 5 min of future skew every reading refused.
// One stamp per agent covers every series (device, quantity): all readings of a sample share it.
// The smallest case is a repeated millisecond: ticks run on monotonic time (fractional ms), and a
// late tick's successor can fire within the same wall-clock millisecond (fault tests under load lost
// containers this way); that sample is stamped 1 ms after the one before, without a warning.
import type { Logger } from '../lib/log.js';
import { CLOCK_STEP_MS } from './unsealed-samples.js';

/** held: stamps go on from the newest; followed: the step was too large to hold (see below). */
export type BackStepHandling = 'held' | 'followed';

/**
 * A step back larger than this is followed, not held. A clock that far ahead was wrong (a real-time
 * clock with garbage in it, a bad NTP answer): the broker refused its readings as from the future,
 * so nothing stored lies there, and holding would stamp every reading for twice the step ahead of
 * the corrected clock, where the broker refuses them too. A day covers what a held step is for: a
 * Pi that boots with the time it saved up to an hour before it lost power, an operator's mistake.
 */
export const MAX_HELD_BACK_STEP_MS = 24 * 3_600_000;

export interface ReadingStampsOptions {
  /** The newest stamp sealed before this process started (the outbox keeps it), if any. */
  readonly newestMs?: number;
  readonly log: Logger;
  /** Once per step back of CLOCK_STEP_MS or more (smaller ones are timer jitter). */
  readonly onBackStep?: (handling: BackStepHandling) => void;
}

export interface ReadingStamps {
  /** The stamp of a sample taken at wall time `wallMs` and monotonic time `monotonicMs`. */
  stamp(wallMs: number, monotonicMs: number): number;
  /** A stamp moved later elsewhere (a forward restamp at the seal): the next ones come after it. */
  raise(stampMs: number): void;
  /** The newest stamp given, or -Infinity before the first. */
  newestMs(): number;
}

export function createReadingStamps(options: ReadingStampsOptions): ReadingStamps {
  const { log } = options;
  let newestMs = options.newestMs ?? Number.NEGATIVE_INFINITY;
  /** When the newest stamp was given; undefined when it came from before this process. */
  let newestAtMonotonicMs: number | undefined;
  let holding = false;

  const onWallTime = (wallMs: number, monotonicMs: number): number => {
    newestMs = wallMs;
    newestAtMonotonicMs = monotonicMs;
    holding = false;
    return wallMs;
  };

  return {
    stamp(wallMs, monotonicMs) {
      if (wallMs > newestMs) {
        if (holding) log.info({ wallMs }, 'the wall clock passed the readings’ stamps: stamped with wall time again');
        return onWallTime(wallMs, monotonicMs);
      }
      const behindMs = newestMs - wallMs;
      if (behindMs > MAX_HELD_BACK_STEP_MS) {
        log.warn({ behindMs, newestMs, wallMs }, 'the wall clock stepped back more than a day behind the newest reading: stamps follow it');
        options.onBackStep?.('followed');
        return onWallTime(wallMs, monotonicMs);
      }
      if (!holding && behindMs >= CLOCK_STEP_MS) {
        holding = true;
        log.warn({ behindMs, newestMs, wallMs }, 'the wall clock stepped back behind the newest reading: stamps go on from it at half pace until the wall clock passes them');
        options.onBackStep?.('held');
      }
      const elapsedMs = newestAtMonotonicMs === undefined ? 0 : monotonicMs - newestAtMonotonicMs;
      newestMs += Math.max(1, Math.floor(elapsedMs / 2));
      newestAtMonotonicMs = monotonicMs;
      return newestMs;
    },
    raise(stampMs) {
      if (stampMs > newestMs) newestMs = stampMs;
    },
    newestMs: () => newestMs,
  };
}
