// Alerts: what fires now and what resolved lately, the household's rules, and the webhook alerts
// are sent to (all from the alerts service, through the web server's /api/alerts proxy). Members
// see all of it; only owners (and admins) get the controls that change rules and the webhook.
import { useCallback, useState, type ReactNode } from 'react';
import { ALERTS_UNAVAILABLE } from '../api/alerts';
import { Empty } from '../components/status';
import { useCanChange } from '../hooks/use-can-change';
import { AlertsList } from './alerts-list';
import { AlertRules } from './alerts-rules';
import { AlertWebhook } from './alerts-webhook';

export function AlertsPage(): ReactNode {
  // Bumped when a rule changes: an edited or deleted rule's open alert resolves.
  const [rulesVersion, setRulesVersion] = useState(0);
  const canChange = useCanChange();
  // Set when the web server answers that this installation has no alerts service.
  const [unavailable, setUnavailable] = useState(false);
  const markUnavailable = useCallback(() => setUnavailable(true), []);
  if (unavailable) {
    return (
      <>
        <h1>Alerts</h1>
        <section className="card">
          <Empty>{ALERTS_UNAVAILABLE}</Empty>
        </section>
      </>
    );
  }
  return (
    <>
      <h1>Alerts</h1>
      {!canChange && <p className="notice">You are a member of this household: only its owners add, change or delete alert rules and set, remove or test the webhook.</p>}
      <AlertsList refreshKey={rulesVersion} onUnavailable={markUnavailable} />
      <AlertRules onChanged={() => setRulesVersion((v) => v + 1)} onUnavailable={markUnavailable} />
      <AlertWebhook onUnavailable={markUnavailable} />
    </>
  );
}
