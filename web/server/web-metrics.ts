// Prometheus metrics of the web server: requests by route and status, their latency, and errors
// reaching each upstream (auth, read, alerts, prometheus).
import { Counter, Histogram, type Registry } from 'prom-client';

export type Upstream = 'auth' | 'read' | 'alerts' | 'prometheus';

export interface WebMetrics {
  request(route: string, method: string, status: number, seconds: number): void;
  upstreamError(upstream: Upstream): void;
}

export function createWebMetrics(registry: Registry): WebMetrics {
  const requests = new Counter({ name: 'em_web_http_requests_total', help: 'HTTP requests by route, method and status', labelNames: ['route', 'method', 'status'], registers: [registry] });
  const durations = new Histogram({
    name: 'em_web_http_request_duration_seconds',
    help: 'HTTP request duration by route (proxied live streams: until the headers are sent)',
    labelNames: ['route', 'method'],
    buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
    registers: [registry],
  });
  const upstreamErrors = new Counter({
    name: 'em_web_upstream_errors_total',
    help: 'Requests that could not reach a backend (refused, timed out, 5xx from Prometheus), by upstream',
    labelNames: ['upstream'],
    registers: [registry],
  });
  for (const upstream of ['auth', 'read', 'alerts', 'prometheus'] as const) upstreamErrors.inc({ upstream }, 0);
  return {
    request(route, method, status, seconds) {
      requests.inc({ route, method, status: String(status) });
      durations.observe({ route, method }, seconds);
    },
    upstreamError: (upstream) => upstreamErrors.inc({ upstream }),
  };
}

/** For tests and callers that do not export metrics. */
export const noWebMetrics: WebMetrics = { request: () => undefined, upstreamError: () => undefined };
