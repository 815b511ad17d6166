// The operator page (admins): the pipeline's health over the last hour, 6 hours or day from
// Prometheus, with firing and pending alerts and process health. Refreshes every 15 s, the
// default scrape interval, while the tab is visible.
import { useState, type ReactNode } from 'react';
import { ApiError, type ApiClient } from '../api/client';
import { OPERATOR_RANGES, type OperatorAlertsAnswer, type OperatorRange, type OperatorSeriesAnswer } from '../api/operator-types';
import { OperatorChart } from '../components/operator-chart';
import { Empty, ErrorState, Loading, RefreshFailed } from '../components/status';
import { useAsync } from '../hooks/use-async';
import { useRefresh } from '../hooks/use-refresh';
import { OperatorAlerts } from './operator-alerts';
import '../operator.css';

export const OPERATOR_REFRESH_MS = 15_000;

/** The web server's 503 when it has no Prometheus to ask: nothing to retry, so one note for its operators. */
const isNotConfigured = (state: { status: string; error?: Error }): boolean => state.error instanceof ApiError && state.error.code === 'monitoring-not-configured';

const RANGE_LABELS: Readonly<Record<OperatorRange, string>> = { '1h': 'Last hour', '6h': '6 hours', '24h': '24 hours' };

export function OperatorPage({ client }: { client: ApiClient }): ReactNode {
  const [range, setRange] = useState<OperatorRange>('1h');
  const [updatedAt, setUpdatedAt] = useState<Date | undefined>();
  const series = useAsync(
    async (signal) => {
      const answer = await client.json<OperatorSeriesAnswer>('/api/operator', `/series?range=${range}`, { signal });
      setUpdatedAt(new Date());
      return answer;
    },
    [client, range],
  );
  const alerts = useAsync((signal) => client.json<OperatorAlertsAnswer>('/api/operator', '/alerts', { signal }), [client]);
  const { reload: reloadSeries } = series;
  const { reload: reloadAlerts } = alerts;

  useRefresh(() => {
    reloadSeries();
    reloadAlerts();
  }, OPERATOR_REFRESH_MS);

  if (isNotConfigured(series.state) || isNotConfigured(alerts.state)) {
    return (
      <>
        <h1 className="operator-title">Operations</h1>
        <Empty>
          <p>Monitoring is off on this installation: the web server has no Prometheus to ask.</p>
          <p>Set EM_WEB_PROMETHEUS_URL for the web server (npm start does, unless it runs with EM_PROMETHEUS=off) and restart it.</p>
        </Empty>
      </>
    );
  }
  return (
    <>
      <h1 className="operator-title">Operations</h1>
      <div className="segmented" role="group" aria-label="Time range">
        {OPERATOR_RANGES.map((r) => (
          <button key={r} type="button" aria-pressed={range === r} onClick={() => setRange(r)}>
            {RANGE_LABELS[r]}
          </button>
        ))}
      </div>
      {alerts.state.status === 'loading' && <Loading label="Loading alerts…" />}
      {alerts.state.status === 'error' && <ErrorState error={alerts.state.error} onRetry={alerts.reload} />}
      {alerts.state.status === 'ok' && <RefreshFailed error={alerts.state.refreshError} onRetry={alerts.reload} />}
      {alerts.state.status === 'ok' && <OperatorAlerts answer={alerts.state.data} />}
      <h2 className="operator-subtitle">Pipeline</h2>
      {updatedAt !== undefined && <p className="meta">Updated {updatedAt.toLocaleTimeString()} · refreshes every {OPERATOR_REFRESH_MS / 1000} s</p>}
      {series.state.status === 'loading' && <Loading label="Loading charts…" />}
      {series.state.status === 'error' && <ErrorState error={series.state.error} onRetry={series.reload} />}
      {series.state.status === 'ok' && <RefreshFailed error={series.state.refreshError} onRetry={series.reload} />}
      {series.state.status === 'ok' && (
        <div className="operator-grid">
          {series.state.data.charts.map((chart) => (
            <OperatorChart key={chart.id} chart={chart} times={series.state.status === 'ok' ? series.state.data.times : []} />
          ))}
        </div>
      )}
    </>
  );
}
