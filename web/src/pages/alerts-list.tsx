// The household's alerts: what fires now (what, since when, value against threshold, which device)
// and what resolved lately. Re-read every 30 s and whenever the rules change.
import type { ReactNode } from 'react';
import { listAlerts } from '../api/alerts';
import type { Alert } from '../api/alerts-types';
import { useApp } from '../app-context';
import { Empty, ErrorState, Loading, RefreshFailed } from '../components/status';
import { useAsync } from '../hooks/use-async';
import { useReportAlertsUnavailable } from '../hooks/use-alerts-unavailable';
import { announceFiringCount } from '../hooks/use-firing-count';
import { useRefresh } from '../hooks/use-refresh';
import { formatAgo, formatDateTime } from '../lib/format';
import { formatAlertValue, RULE_KIND_LABELS } from './alerts-form-model';

export const ALERTS_REFRESH_MS = 30_000;
const RESOLVED_SHOWN = 20;

interface AlertsView {
  firing: Alert[];
  resolved: Alert[];
  nowMs: number;
}

/** `refreshKey` changes when the rules changed (an edited or deleted rule's alert resolves). */
export function AlertsList({ refreshKey, onUnavailable }: { refreshKey: number; onUnavailable?: () => void }): ReactNode {
  const { client, household } = useApp();
  const { state, reload } = useAsync<AlertsView>(
    async (signal) => {
      const [firing, resolved] = await Promise.all([listAlerts(client, household.id, 'firing', 100, signal), listAlerts(client, household.id, 'resolved', RESOLVED_SHOWN, signal)]);
      announceFiringCount(household.id, firing.length);
      return { firing, resolved, nowMs: Date.now() };
    },
    [client, household.id, refreshKey],
  );
  useReportAlertsUnavailable(state, onUnavailable);
  useRefresh(reload, ALERTS_REFRESH_MS);

  if (state.status === 'loading') return <Loading label="Loading alerts…" />;
  if (state.status === 'error') return <ErrorState error={state.error} onRetry={reload} />;
  const { firing, resolved, nowMs } = state.data;
  return (
    <>
      <RefreshFailed error={state.refreshError} onRetry={reload} />
      <section className="card" aria-labelledby="firing-title">
        <h2 id="firing-title" className="card-title">
          Firing now {firing.length > 0 && <span className="badge error">{firing.length}</span>}
        </h2>
        {firing.length === 0 ? (
          <Empty>Nothing is wrong right now.</Empty>
        ) : (
          <ul className="alert-list" aria-label="Firing alerts">
            {firing.map((alert) => (
              <AlertItem key={alert.id} alert={alert} nowMs={nowMs} timeZone={household.timeZone} />
            ))}
          </ul>
        )}
      </section>
      <section className="card" aria-labelledby="resolved-title">
        <h2 id="resolved-title" className="card-title">
          Recently resolved
        </h2>
        {resolved.length === 0 ? (
          <Empty>No resolved alerts yet.</Empty>
        ) : (
          <ul className="alert-list" aria-label="Resolved alerts">
            {resolved.map((alert) => (
              <AlertItem key={alert.id} alert={alert} nowMs={nowMs} timeZone={household.timeZone} />
            ))}
          </ul>
        )}
      </section>
    </>
  );
}

function AlertItem({ alert, nowMs, timeZone }: { alert: Alert; nowMs: number; timeZone: string }): ReactNode {
  const startedMs = Date.parse(alert.startedAt);
  const firing = alert.state === 'firing';
  const what = alert.kind === 'device-silent' ? 'Silent for' : alert.kind === 'power-above' ? 'Power' : 'Energy today';
  return (
    <li className={firing ? 'alert-item firing' : 'alert-item'}>
      <div className="alert-head">
        <strong className="alert-name">{alert.ruleName}</strong>
        <span className={firing ? 'badge error' : 'badge ok'}>{firing ? 'Firing' : 'Resolved'}</span>
      </div>
      <p className="meta">
        {RULE_KIND_LABELS[alert.kind]} · {alert.deviceId === null ? 'whole household' : `device ${alert.deviceId}`}
      </p>
      <p className="alert-value">
        {what} {formatAlertValue(alert.value, alert.unit)} <span className="hint">(threshold {formatAlertValue(alert.threshold, alert.unit)})</span>
      </p>
      <p className="meta">
        {firing ? 'Since ' : 'From '}
        <time dateTime={alert.startedAt}>{formatDateTime(startedMs, timeZone)}</time>
        {firing ? ` (${formatAgo(alert.startedAt, nowMs)})` : ''}
        {alert.resolvedAt !== null && (
          <>
            {' '}
            to <time dateTime={alert.resolvedAt}>{formatDateTime(Date.parse(alert.resolvedAt), timeZone)}</time>
          </>
        )}
      </p>
    </li>
  );
}
