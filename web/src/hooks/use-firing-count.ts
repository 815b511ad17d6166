// How many of the household's alerts fire now, for the badge on the Alerts nav item; re-read every
// 30 s. Undefined while unknown or when the alerts service cannot be asked (the badge just hides).
import { useEffect, useState } from 'react';
import { listAlerts } from '../api/alerts';
import type { ApiClient } from '../api/client';

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
    read();
    const timer = setInterval(read, everyMs);
    return () => {
      clearInterval(timer);
      abort.abort();
    };
  }, [client, householdId, everyMs]);
  return count;
}
