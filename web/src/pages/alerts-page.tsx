// Alerts: what fires now and what resolved lately, the household's rules, and the webhook alerts
// are sent to (all from the alerts service, through the web server's /api/alerts proxy).
import { useState, type ReactNode } from 'react';
import { AlertsList } from './alerts-list';
import { AlertRules } from './alerts-rules';
import { AlertWebhook } from './alerts-webhook';

export function AlertsPage(): ReactNode {
  // Bumped when a rule changes: an edited or deleted rule's open alert resolves.
  const [rulesVersion, setRulesVersion] = useState(0);
  return (
    <>
      <h1>Alerts</h1>
      <AlertsList refreshKey={rulesVersion} />
      <AlertRules onChanged={() => setRulesVersion((v) => v + 1)} />
      <AlertWebhook />
    </>
  );
}
