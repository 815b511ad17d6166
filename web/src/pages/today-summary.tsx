// Today's energy and cost (the household's local day), refreshed every minute.
import type { ReactNode } from 'react';
import type { EnergyAnswer } from '../api/types';
import { useApp } from '../app-context';
import { ErrorState, Loading, RefreshFailed } from '../components/status';
import { useAsync } from '../hooks/use-async';
import { useRefresh } from '../hooks/use-refresh';
import { formatEnergy, formatMoney } from '../lib/format';
import { isoInZone, spanStart } from '../lib/time-zone';

export function TodaySummary(): ReactNode {
  const { client, household } = useApp();
  const { state, reload } = useAsync(
    (signal) => {
      const now = Date.now();
      const tz = household.timeZone;
      const query = new URLSearchParams({ from: isoInZone(spanStart(now, 'day', tz), tz), to: isoInZone(spanStart(now, 'day', tz, 1), tz), period: 'day' });
      return client.json<EnergyAnswer>('/api/read', `/v1/households/${encodeURIComponent(household.id)}/cost?${query}`, { signal });
    },
    [client, household.id, household.timeZone],
  );
  useRefresh(reload, 60_000);

  const bucket = state.status === 'ok' ? state.data.buckets[0] : undefined;
  const currency = state.status === 'ok' ? (state.data.currency ?? household.tariff.currency) : household.tariff.currency;
  return (
    <section className="card" aria-labelledby="today-title">
      <h2 id="today-title" className="card-title">
        Today
      </h2>
      {state.status === 'loading' && <Loading />}
      {state.status === 'error' && <ErrorState error={state.error} onRetry={reload} />}
      {state.status === 'ok' && <RefreshFailed error={state.refreshError} onRetry={reload} />}
      {state.status === 'ok' && (
        <dl className="stats">
          <div>
            <dt>Energy</dt>
            <dd data-testid="today-energy">{formatEnergy(bucket?.totalKwh ?? 0)}</dd>
          </div>
          <div>
            <dt>Cost</dt>
            <dd data-testid="today-cost">{formatMoney(bucket?.cost ?? 0, currency)}</dd>
          </div>
        </dl>
      )}
    </section>
  );
}
