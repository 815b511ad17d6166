// Polls a condition on real time; for callers that watch real sockets (fleet, tests).
import { setTimeout as sleep } from 'node:timers/promises';

/** True as soon as `condition()` holds, false once `timeoutMs` passed without it. */
export async function waitFor(condition: () => boolean, timeoutMs: number, pollMs = 20): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (condition()) return true;
    if (Date.now() >= deadline) return false;
    await sleep(pollMs);
  }
}
