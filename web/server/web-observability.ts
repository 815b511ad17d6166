// The web server's metrics port: /metrics (requests, upstream errors, process metrics), /healthz,
// and /readyz — ready when the auth and read services answer their /healthz (the app is useless
// without them; Prometheus is optional and only the operator page needs it).
import { expectHttpStatus } from '../../lib/metrics/readiness-checks.js';
import { createReadiness, registerReadinessMetrics } from '../../lib/metrics/readiness.js';
import { createProcessRegistry, startMetricsServer, type MetricsServer } from '../../lib/metrics/metrics-server.js';
import type { WebConfig } from './config.js';
import { createWebMetrics, type WebMetrics } from './web-metrics.js';

export interface WebObservability {
  readonly metrics: WebMetrics;
  start(): Promise<MetricsServer>;
}

export function createWebObservability(config: Pick<WebConfig, 'authUrl' | 'readUrl' | 'metricsPort' | 'host'>): WebObservability {
  const registry = createProcessRegistry({ process: 'web' });
  const metrics = createWebMetrics(registry);
  const readiness = createReadiness([
    { name: 'auth', run: () => expectHttpStatus(`${config.authUrl}/healthz`, 200) },
    { name: 'read', run: () => expectHttpStatus(`${config.readUrl}/healthz`, 200) },
  ]);
  registerReadinessMetrics(registry, readiness);
  return { metrics, start: () => startMetricsServer({ registry, port: config.metricsPort, host: config.host, readiness }) };
}
