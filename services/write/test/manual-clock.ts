// A Clock under the test's control: time moves only in advance(), which wakes sleepers in time
// order and lets the promise chains they start run before moving on.
import type { Clock } from '../clock.js';

export interface ManualClock extends Clock {
  advance(ms: number): Promise<void>;
  /** Sleepers still waiting. */
  pendingSleeps(): number;
}

interface Sleeper {
  readonly untilMs: number;
  readonly wake: () => void;
}

/** Lets pending promise callbacks and I/O callbacks run (several rounds for chained awaits). */
export async function settle(rounds = 5): Promise<void> {
  for (let i = 0; i < rounds; i++) await new Promise<void>((resolve) => setImmediate(resolve));
}

export function createManualClock(startMs = 1_700_000_000_000): ManualClock {
  let nowMs = startMs;
  const sleepers = new Set<Sleeper>();
  return {
    nowMs: () => nowMs,
    sleep(ms, signal) {
      return new Promise<void>((resolve) => {
        if (signal?.aborted === true) return resolve();
        const sleeper: Sleeper = {
          untilMs: nowMs + ms,
          wake: () => {
            sleepers.delete(sleeper);
            // As systemClock does: a woken sleeper leaves no listener on the (long-lived) stop signal.
            signal?.removeEventListener('abort', sleeper.wake);
            resolve();
          },
        };
        sleepers.add(sleeper);
        signal?.addEventListener('abort', sleeper.wake, { once: true });
      });
    },
    async advance(ms) {
      const targetMs = nowMs + ms;
      await settle();
      for (;;) {
        const next = [...sleepers].filter((s) => s.untilMs <= targetMs).sort((a, b) => a.untilMs - b.untilMs)[0];
        if (next === undefined) break;
        nowMs = Math.max(nowMs, next.untilMs);
        next.wake();
        await settle();
      }
      nowMs = targetMs;
      await settle();
    },
    pendingSleeps: () => sleepers.size,
  };
}
