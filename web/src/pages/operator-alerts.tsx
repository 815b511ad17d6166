// Firing and pending alerts with their summary, and which scraped processes are up or down.
import type { ReactNode } from 'react';
import type { OperatorAlertsAnswer } from '../api/operator-types';

export function OperatorAlerts({ answer }: { answer: OperatorAlertsAnswer }): ReactNode {
  return (
    <>
      <section className="card" aria-labelledby="alerts-title">
        <h2 className="card-title" id="alerts-title">
          Alerts <span className={answer.alerts.some((a) => a.state === 'firing') ? 'badge error' : 'badge ok'}>{answer.alerts.filter((a) => a.state === 'firing').length} firing</span>
        </h2>
        {answer.alerts.length === 0 ? (
          <p className="operator-none">No alerts are firing or pending.</p>
        ) : (
          <ul className="operator-alerts">
            {answer.alerts.map((alert) => (
              <li key={`${alert.name}:${JSON.stringify(alert.labels)}`} className={`operator-alert ${alert.state}`}>
                <div className="operator-alert-head">
                  <span className={alert.state === 'firing' ? 'badge error' : 'badge warn'}>{alert.state}</span>
                  <strong>{alert.name}</strong>
                  {alert.severity !== '' && <span className="meta">{alert.severity}</span>}
                </div>
                {alert.summary !== '' && <p className="operator-alert-summary">{alert.summary}</p>}
                <p className="meta">
                  {[alert.labels.job, alert.labels.instance].filter((v) => v !== undefined).join(' · ')}
                  {alert.activeAt !== null && <> · since {new Date(alert.activeAt).toLocaleString()}</>}
                </p>
              </li>
            ))}
          </ul>
        )}
      </section>
      <section className="card" aria-labelledby="targets-title">
        <h2 className="card-title" id="targets-title">
          Processes
        </h2>
        <ul className="operator-jobs">
          {answer.jobs.map((job) => (
            <li key={job.job}>
              <span>{job.job}</span>
              <span className={job.down > 0 ? 'badge error' : 'badge ok'}>{job.down > 0 ? `${job.down} down` : 'up'}</span>
              <span className="meta">
                {job.up} of {job.up + job.down} up
              </span>
            </li>
          ))}
        </ul>
      </section>
    </>
  );
}
