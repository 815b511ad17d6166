// A live stream ends when the access token it was opened with expires. It was authorised once, when
// it opened; without this a token that ran out (and with it a session that was logged out or not
// renewed) would keep receiving a household's readings for as long as the connection lasted. The
// browser reconnects with a fresh token and Last-Event-ID (web/src/api/live-stream.ts), so it misses
// nothing.
import { MAX_TIMER_MS } from '../../../lib/config/load-config.js';

/**
 * Calls `end` once `expiresAtS` (the token's `exp`, seconds since the epoch) has passed; the
 * returned function cancels. A token valid for longer than a Node timer can wait is waited for in steps.
 */
export function endAtExpiry(expiresAtS: number, end: () => void, now: () => number = Date.now): () => void {
  let timer: NodeJS.Timeout | undefined;
  const arm = (): void => {
    const leftMs = expiresAtS * 1000 - now();
    if (leftMs <= 0) {
      end();
      return;
    }
    timer = setTimeout(arm, Math.min(leftMs, MAX_TIMER_MS));
    timer.unref();
  };
  arm();
  return () => clearTimeout(timer);
}
