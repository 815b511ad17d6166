// Prometheus metrics of the read service.
import { Counter, Gauge, Histogram, type Registry } from 'prom-client';
import type { LiveHubMetrics } from './live/live-hub.js';
import { STREAM_END_REASONS, type SseCounters } from './live/sse-connection.js';

export interface ReadMetrics {
  readonly live: LiveHubMetrics;
  readonly sse: SseCounters;
  request(route: string, method: string, status: number, seconds: number): void;
  influxQuery(seconds: number, outcome: string): void;
  rollupRepairs(hours: number): void;
}

export function createReadMetrics(registry: Registry): ReadMetrics {
  const requests = new Counter({ name: 'em_read_http_requests_total', help: 'HTTP requests by route, method and status', labelNames: ['route', 'method', 'status'], registers: [registry] });
  const durations = new Histogram({
    name: 'em_read_http_request_duration_seconds',
    help: 'HTTP request duration by route (SSE streams: until the headers are sent)',
    labelNames: ['route', 'method', 'status'],
    buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
    registers: [registry],
  });
  const viewers = new Gauge({ name: 'em_read_sse_viewers', help: 'Open live (SSE) streams', registers: [registry] });
  const subscriptions = new Gauge({ name: 'em_read_mqtt_subscriptions', help: 'Households whose readings the MQTT connection subscribes to', registers: [registry] });
  const sent = new Counter({ name: 'em_read_sse_events_sent_total', help: 'Live events written to viewers', registers: [registry] });
  const dropped = new Counter({ name: 'em_read_sse_events_dropped_total', help: 'Live events dropped for viewers that could not keep up', registers: [registry] });
  const closed = new Counter({
    name: 'em_read_sse_closed_total',
    help: 'Live streams the server ended, by reason (token-expired, membership-ended)',
    labelNames: ['reason'],
    registers: [registry],
  });
  for (const reason of STREAM_END_REASONS) closed.inc({ reason }, 0);
  const undecodable = new Counter({ name: 'em_read_live_undecodable_total', help: 'MQTT messages that were not a ReadingContainer', registers: [registry] });
  const influx = new Histogram({
    name: 'em_read_influx_query_duration_seconds',
    help: 'InfluxDB query latency by outcome (ok, error, unavailable)',
    labelNames: ['outcome'],
    buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
    registers: [registry],
  });
  const repairs = new Counter({ name: 'em_read_rollup_repaired_hours_total', help: 'Rollup hours recomputed because late data arrived', registers: [registry] });
  return {
    live: { viewers: (d) => viewers.inc(d), subscriptions: (d) => subscriptions.inc(d), undecodable: () => undecodable.inc() },
    sse: { sent: () => sent.inc(), dropped: () => dropped.inc(), ended: (reason) => closed.inc({ reason }) },
    request(route, method, status, seconds) {
      const labels = { route, method, status: String(status) };
      requests.inc(labels);
      durations.observe(labels, seconds);
    },
    influxQuery: (seconds, outcome) => influx.observe({ outcome }, seconds),
    rollupRepairs: (hours) => repairs.inc(hours),
  };
}
