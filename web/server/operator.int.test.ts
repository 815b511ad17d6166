// The operator endpoints against a real Prometheus (infra/prometheus.ts) scraping a real metrics
// server, with tokens from a real issuer's JWKS: an admin gets charts, alerts and target health;
// anyone else gets 401/403; without Prometheus, 503. The web server's own /metrics counts it all.
import { Counter, Gauge, type Registry } from 'prom-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { findFreePort } from '../../infra/free-port.js';
import { startPrometheus, type RunningPrometheus } from '../../infra/prometheus.js';
import { createPrometheusTestFolder, type PrometheusTestFolder } from '../../infra/test/prometheus-test-folder.js';
import { createProcessRegistry, startMetricsServer, type MetricsServer } from '../../lib/metrics/metrics-server.js';
import { startTestIssuer, type TestIssuer } from '../../test/support/test-issuer.js';
import { buildWebServer } from './app.js';
import { loadWebConfig } from './config.js';
import { createWebObservability } from './web-observability.js';
import type { FastifyInstance } from 'fastify';

let folder: PrometheusTestFolder;
let prometheus: RunningPrometheus;
let broker: MetricsServer;
let auth: MetricsServer;
let issuer: TestIssuer;
let web: FastifyInstance;
let webMetrics: MetricsServer;
let adminToken: string;
let homeownerToken: string;

beforeAll(async () => {
  folder = await createPrometheusTestFolder();
  // Stand in for the broker and the auth service: the series the operator queries chart.
  const registry = createProcessRegistry({ process: 'broker' });
  new Gauge({ name: 'em_broker_connections', help: 'connections', registers: [registry] }).set(3);
  risingCounter(registry, 'em_broker_publishes_in_total', { kind: 'readings', outcome: 'journaled' });
  risingCounter(registry, 'em_broker_auth_attempts_total', { outcome: 'refused' });
  broker = await startMetricsServer({ registry, port: 0 });
  const authRegistry = createProcessRegistry({ process: 'auth' });
  risingCounter(authRegistry, 'em_auth_logins_total', { outcome: 'invalid-credentials' });
  auth = await startMetricsServer({ registry: authRegistry, port: 0 });
  const silentPort = await findFreePort(); // a "process" that is down: ProcessDown fires for it
  prometheus = await startPrometheus({
    dataDir: folder.dataDir,
    targets: [
      { job: 'broker', port: broker.port },
      { job: 'auth', port: auth.port },
      { job: 'write', port: silentPort },
    ],
    scrapeIntervalMs: 500,
    evaluationIntervalMs: 500,
    alertForMs: 1_000,
  });
  issuer = await startTestIssuer();
  adminToken = await issuer.userToken('operator-1', { roles: ['admin'] });
  homeownerToken = await issuer.userToken('homeowner-1');
  const config = loadWebConfig({
    EM_WEB_PORT: '0',
    EM_WEB_METRICS_PORT: '0',
    EM_WEB_AUTH_URL: 'http://127.0.0.1:1',
    EM_WEB_READ_URL: 'http://127.0.0.1:1',
    EM_WEB_DIST_DIR: '/nonexistent',
    EM_WEB_PROMETHEUS_URL: prometheus.url,
    EM_WEB_AUTH_ISSUER: issuer.issuer,
    EM_WEB_AUTH_JWKS_URL: issuer.jwksUrl,
  });
  const observability = createWebObservability(config);
  web = await buildWebServer(config, { metrics: observability.metrics });
  await web.listen({ host: '127.0.0.1', port: 0 });
  webMetrics = await observability.start();
});

afterAll(async () => {
  await web?.close();
  await webMetrics?.close();
  await broker?.close();
  await auth?.close();
  await issuer?.close();
  await folder?.remove();
});

/** A counter that rises by 10 on every scrape, so its rate() is above zero. */
function risingCounter(registry: Registry, name: string, labels: Record<string, string>): void {
  const counter = new Counter({ name, help: name, labelNames: Object.keys(labels), registers: [registry] });
  counter.inc(labels, 0);
  new Gauge({ name: `${name.replace(/_total$/, '')}_tick`, help: 'moves the counter on every scrape', registers: [registry], collect: () => counter.inc(labels, 10) });
}

const base = (): string => {
  const address = web.server.address();
  if (address === null || typeof address === 'string') throw new Error('no port');
  return `http://127.0.0.1:${address.port}`;
};
const get = (path: string, token?: string): Promise<Response> => fetch(`${base()}${path}`, { headers: token === undefined ? {} : { authorization: `Bearer ${token}` } });

type SeriesBody = { range: string; stepS: number; times: number[]; charts: { id: string; title: string; series: { label: string; values: (number | null)[] }[] }[] };
type AlertsBody = { alerts: { name: string; state: string; summary: string; labels: Record<string, string> }[]; jobs: { job: string; up: number; down: number }[] };

const latest = (body: SeriesBody, id: string): number | undefined => {
  const values = body.charts.find((c) => c.id === id)?.series[0]?.values ?? [];
  return values.filter((v): v is number => v !== null).at(-1);
};

describe('operator endpoints', () => {
  it('when an admin asks for series, then every operator chart comes back on one time axis with live values', async () => {
    const series = async (): Promise<SeriesBody> => (await (await get('/api/operator/series?range=1h', adminToken)).json()) as SeriesBody;
    await expect.poll(async () => latest(await series(), 'connected-agents'), { timeout: 60_000, interval: 500 }).toBe(3);
    await expect.poll(async () => latest(await series(), 'ingest-rate') ?? 0, { timeout: 60_000, interval: 500 }).toBeGreaterThan(0);
    const body = await series();
    expect(body).toMatchObject({ range: '1h', stepS: 15 });
    expect(body.times.length).toBe(241);
    expect(body.charts.map((c) => c.id)).toContain('journal-depth');
    for (const chart of body.charts) for (const s of chart.series) expect(s.values.length).toBe(body.times.length);
    // Refused logins from both processes, not only the first side of the `or`.
    await expect
      .poll(async () => (await series()).charts.find((c) => c.id === 'auth-failures')?.series.map((s) => s.label), { timeout: 60_000, interval: 500 })
      .toEqual(['job=auth', 'job=broker']);
    const day = await get('/api/operator/series?range=24h', adminToken);
    expect(((await day.json()) as SeriesBody).stepS).toBe(300);
  });

  it('when an admin asks for alerts, then a down process shows as a firing alert and in the job health', async () => {
    const alerts = async (): Promise<AlertsBody> => (await (await get('/api/operator/alerts', adminToken)).json()) as AlertsBody;
    await expect
      .poll(async () => (await alerts()).alerts.find((a) => a.name === 'ProcessDown' && a.labels.job === 'write')?.state, { timeout: 60_000, interval: 500 })
      .toBe('firing');
    const body = await alerts();
    expect(body.alerts.find((a) => a.name === 'ProcessDown')?.summary).not.toBe('');
    // Prometheus scrapes itself too (job prometheus).
    expect(body.jobs).toEqual(
      expect.arrayContaining([
        { job: 'broker', up: 1, down: 0 },
        { job: 'write', up: 0, down: 1 },
      ]),
    );
  });

  it('when the range is not one of ours, then 400', async () => {
    expect((await get('/api/operator/series?range=1y', adminToken)).status).toBe(400);
    expect((await get('/api/operator/series?range=1h&query=up', adminToken)).status).toBe(400);
  });

  it('when there is no token or a bad one, then 401; a homeowner gets 403', async () => {
    expect((await get('/api/operator/series')).status).toBe(401);
    expect((await get('/api/operator/alerts', 'not-a-jwt')).status).toBe(401);
    const expired = await issuer.userToken('operator-1', { roles: ['admin'], expiresInS: -3_600 });
    expect((await get('/api/operator/alerts', expired)).status).toBe(401);
    const forbidden = await get('/api/operator/series', homeownerToken);
    expect(forbidden.status).toBe(403);
    expect(((await forbidden.json()) as { error: string }).error).toBe('forbidden');
  });

  it("when the issuer's keys cannot be loaded, then 503, not a refusal of the caller's token", async () => {
    const fresh = await buildWebServer(
      loadWebConfig({ EM_WEB_PORT: '0', EM_WEB_DIST_DIR: '/nonexistent', EM_WEB_PROMETHEUS_URL: prometheus.url, EM_WEB_AUTH_ISSUER: issuer.issuer, EM_WEB_AUTH_JWKS_URL: issuer.jwksUrl }),
    );
    issuer.setDown(true);
    try {
      const response = await fresh.inject({ url: '/api/operator/alerts', headers: { authorization: `Bearer ${adminToken}` } });
      expect(response.statusCode).toBe(503);
      expect(response.json()).toMatchObject({ error: 'upstream-unavailable' });
    } finally {
      issuer.setDown(false);
      await fresh.close();
    }
  });

  it('when the web server knows no Prometheus, then 503 "monitoring not configured"', async () => {
    const bare = await buildWebServer(
      loadWebConfig({ EM_WEB_PORT: '0', EM_WEB_DIST_DIR: '/nonexistent', EM_WEB_AUTH_ISSUER: issuer.issuer, EM_WEB_AUTH_JWKS_URL: issuer.jwksUrl }),
    );
    try {
      const response = await bare.inject({ url: '/api/operator/alerts', headers: { authorization: `Bearer ${adminToken}` } });
      expect(response.statusCode).toBe(503);
      expect(response.json()).toMatchObject({ error: 'monitoring-not-configured' });
    } finally {
      await bare.close();
    }
  });

  it('when requests were served, then the metrics port counts them by route and status', async () => {
    const text = await (await fetch(`http://127.0.0.1:${webMetrics.port}/metrics`)).text();
    expect(text).toMatch(/em_web_http_requests_total\{route="\/api\/operator\/series",method="GET",status="200",process="web"\} [1-9]/);
    expect(text).toMatch(/em_web_http_requests_total\{route="\/api\/operator\/series",method="GET",status="403",process="web"\} 1/);
    expect(text).toContain('em_web_http_request_duration_seconds_bucket');
    const ready = await fetch(`http://127.0.0.1:${webMetrics.port}/readyz`);
    expect(ready.status).toBe(503); // auth and read point nowhere in this test
    expect(((await ready.json()) as { checks: { name: string }[] }).checks.map((c) => c.name)).toEqual(['auth', 'read']);
  });

  it('when Prometheus is stopped, then 503 with a clear reason, and the upstream error is counted', async () => {
    await prometheus.stop();
    // Answers are shared for 5 s, so the last good one may still be served for a moment.
    await expect.poll(async () => (await get('/api/operator/series?range=1h', adminToken)).status, { timeout: 20_000, interval: 500 }).toBe(503);
    const response = await get('/api/operator/series?range=6h', adminToken);
    expect(response.status).toBe(503);
    const body = (await response.json()) as { error: string; message: string };
    expect(body.error).toBe('monitoring-unavailable');
    expect(body.message).toMatch(/Prometheus cannot be reached/);
    await expect.poll(async () => (await get('/api/operator/alerts', adminToken)).status, { timeout: 20_000, interval: 500 }).toBe(503);
    const text = await (await fetch(`http://127.0.0.1:${webMetrics.port}/metrics`)).text();
    expect(text).toMatch(/em_web_upstream_errors_total\{upstream="prometheus",process="web"\} [1-9]/);
  });
});
