// Prometheus metrics of the alerts service (served by lib/metrics/metrics-server.ts).
import { Counter, Gauge, type Registry } from 'prom-client';
import { RULE_KINDS } from './http/schemas.js';

export type DeliveryResult = 'delivered' | 'retried' | 'failed' | 'dropped';

export interface AlertsMetrics {
  request(route: string, method: string, status: number): void;
  evaluated(count: number): void;
  transition(type: 'fired' | 'resolved', kind: string): void;
  delivery(result: DeliveryResult): void;
  outboxDepth(depth: number): void;
  subscriptions(count: number): void;
  undecodable(): void;
}

export function createAlertsMetrics(registry: Registry): AlertsMetrics {
  const registers = [registry];
  const requests = new Counter({ name: 'em_alerts_http_requests_total', help: 'HTTP requests by route, method and status', labelNames: ['route', 'method', 'status'], registers });
  const evaluations = new Counter({ name: 'em_alerts_rules_evaluated_total', help: 'Rule evaluations (per reading container and per tick, per rule)', registers });
  const fired = new Counter({ name: 'em_alerts_fired_total', help: 'Alerts that started firing, by rule kind', labelNames: ['kind'], registers });
  const resolved = new Counter({ name: 'em_alerts_resolved_total', help: 'Alerts that resolved (their condition cleared, or their rule was edited, disabled or deleted), by rule kind', labelNames: ['kind'], registers });
  const deliveries = new Counter({ name: 'em_alerts_webhook_deliveries_total', help: 'Webhook delivery attempts by outcome (delivered, retried, failed = given up, dropped = webhook removed)', labelNames: ['outcome'], registers });
  const depth = new Gauge({ name: 'em_alerts_webhook_outbox_depth', help: 'Webhook events waiting to be delivered', registers });
  const subscribed = new Gauge({ name: 'em_alerts_mqtt_subscriptions', help: 'Households whose readings the service subscribes to (those with enabled rules)', registers });
  const undecodable = new Counter({ name: 'em_alerts_undecodable_total', help: 'MQTT messages that were not a ReadingContainer', registers });
  for (const outcome of ['delivered', 'retried', 'failed', 'dropped']) deliveries.inc({ outcome }, 0);
  // Every kind's series from the start, so that increase() sees an alert's first firing or resolving.
  for (const kind of RULE_KINDS) {
    fired.inc({ kind }, 0);
    resolved.inc({ kind }, 0);
  }
  return {
    request: (route, method, status) => requests.inc({ route, method, status: String(status) }),
    evaluated: (count) => evaluations.inc(count),
    transition: (type, kind) => (type === 'fired' ? fired : resolved).inc({ kind }),
    delivery: (outcome) => deliveries.inc({ outcome }),
    outboxDepth: (d) => depth.set(d),
    subscriptions: (n) => subscribed.set(n),
    undecodable: () => undecodable.inc(),
  };
}
