// Reads a page's figures again every `everyMs` while it is shown. A hidden tab (a phone's browser
// in the background) has nobody to show them to, so it skips its reads and makes the one it
// missed as soon as it is shown again.
import { useEffect, useLayoutEffect, useRef } from 'react';

export function useRefresh(refresh: () => void, everyMs: number, enabled = true): void {
  const refreshRef = useRef(refresh);
  useLayoutEffect(() => {
    refreshRef.current = refresh;
  });
  useEffect(() => {
    if (!enabled) return;
    let missed = false;
    const tick = (): void => {
      missed = document.hidden;
      if (!missed) refreshRef.current();
    };
    const shownAgain = (): void => {
      if (missed && !document.hidden) tick();
    };
    const timer = setInterval(tick, everyMs);
    document.addEventListener('visibilitychange', shownAgain);
    return () => {
      clearInterval(timer);
      document.removeEventListener('visibilitychange', shownAgain);
    };
  }, [everyMs, enabled]);
}
