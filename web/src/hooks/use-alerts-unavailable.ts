// A card of the Alerts page tells the page when this installation has no alerts service, so the
// page says it once in a plain sentence instead of three error boxes with a pointless Retry.
import { useEffect } from 'react';
import { isAlertsNotConfigured } from '../api/alerts';
import type { AsyncState } from './use-async';

export function useReportAlertsUnavailable(state: AsyncState<unknown>, onUnavailable: (() => void) | undefined): void {
  const unavailable = state.status === 'error' && isAlertsNotConfigured(state.error);
  useEffect(() => {
    if (unavailable) onUnavailable?.();
  }, [unavailable, onUnavailable]);
}
