// How many of the household's alerts fire now, for the badge on the Alerts nav item; re-read every
// 30 s, and at once when the Alerts page has read them (announceFiringCount). Undefined while
// unknown or when the alerts service cannot be asked (the badge just hides).
import { useEffect, useState } from 'react';
import { listAlerts } from '../api/alerts';
import type { ApiClient } from '../api/client';

const EVENT = 'em:firing-count';

/** The Alerts page tells the badge what it just read, so the two never disagree for 30 s. */
export function announceFiringCount(householdId: string, count: number): void {
  window.dispatchEvent(new CustomEvent<{ householdId: string; count: number }>(EVENT, { detail: { householdId, count } }));
}

export function useFiringCount(client: ApiClient, householdId: string, everyMs = 30_000): number | undefined {
  const [count, setCount] = useState<number | undefined>();
  useEffect(() => {
    let abort = new AbortController();
    const read = (): void => {
      abort.abort();
      abort = new AbortController();
      const { signal } = abort;
      listAlerts(client, householdId, 'firing', 100, signal).then(
        (alerts) => {
          if (!signal.aborted) setCount(alerts.length);
        },
        () => {
          if (!signal.aborted) setCount(undefined);
        },
      );
    };
    const announced = (event: Event): void => {
      const { detail } = event as CustomEvent<{ householdId: string; count: number }>;
      if (detail.householdId === householdId) setCount(detail.count);
    };
    window.addEventListener(EVENT, announced);
    read();
    const timer = setInterval(read, everyMs);
    return () => {
      clearInterval(timer);
      abort.abort();
      window.removeEventListener(EVENT, announced);
    };
  }, [client, householdId, everyMs]);
  return count;
}
