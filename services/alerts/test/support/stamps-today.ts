// Reading stamps for "today's" rows written straight into InfluxDB. The test households keep the
// default zone, UTC, and a daily rule counts the local day: rows stamped "the last few minutes"
// by a run just after midnight UTC fell into yesterday, and the rule never fired (CI, 00:02 UTC).
import { setTimeout as sleep } from 'node:timers/promises';

const DAY_MS = 86_400_000;

/**
 * `count` increasing stamps, one every spanMs / count, the first spanMs before now, or all squeezed
 * in since midnight UTC when that is less; never in the future.
 */
export async function stampsToday(count: number, spanMs: number): Promise<number[]> {
  if (Date.now() % DAY_MS <= count) await sleep(count + 1); // room for distinct stamps after midnight
  const now = Date.now();
  const span = Math.min(spanMs, (now % DAY_MS) - 1);
  return Array.from({ length: count }, (_, i) => now - span + Math.floor((i * span) / count));
}
