// The whole platform for end-to-end tests, on free ports, against the run's InfluxDB and PostgreSQL
// (test/global-setup.ts) with a database of its own in each: auth, broker (credentials required),
// write and read services as child processes — the same specs `npm start` uses
// (scripts/platform-services.ts) — and the web server in-process. A demo account with one
// simulated agent is provisioned, as `npm start` does. Optionally a Prometheus scraping every
// process (the web server's metrics port included) behind the web server's operator page, and the
// alerts service behind the web server's /api/alerts.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { FastifyInstance } from 'fastify';
import { findFreePort } from '../../infra/free-port.js';
import { createInfluxDatabase, dropInfluxDatabase } from '../../infra/influxdb.js';
import { createPostgresDatabase } from '../../infra/postgres.js';
import { startPrometheus, type RunningPrometheus } from '../../infra/prometheus.js';
import { createPrometheusTestFolder, type PrometheusTestFolder } from '../../infra/test/prometheus-test-folder.js';
import type { MetricsServer } from '../../lib/metrics/metrics-server.js';
import { spawnService, type SpawnedService } from '../../lib/process/spawn-service.js';
import { alertsService, alertsUrl, authService, authUrl, ingestServices, readService, readUrl, type PlatformSettings, type ServiceSpec } from '../../scripts/platform-services.js';
import { ALERTS_SERVICE_CLIENT_ID, provisionHouseholds, READ_SERVICE_CLIENT_ID } from '../../scripts/provision-households.js';
import { buildWebServer } from '../../web/server/app.js';
import { loadWebConfig } from '../../web/server/config.js';
import { createWebObservability } from '../../web/server/web-observability.js';

export interface TestPlatform {
  readonly webUrl: string;
  readonly authUrl: string;
  readonly readUrl: string;
  readonly mqttUrl: string;
  readonly demoHouseholdId: string;
  /** The auth database as its owner (e.g. to make an admin with services/auth/operator-tasks.ts). */
  readonly databaseUrl: string;
  /** Set when started with `prometheus`. */
  readonly prometheusUrl?: string;
  /** Set when started with `alerts`. */
  readonly alertsUrl?: string;
  /** Where each service's log goes (`<name>.log`). */
  readonly logDir: string;
  /** Stops one service (SIGTERM) to see the platform without it, e.g. an alert firing. */
  stopService(name: string): Promise<void>;
  stop(): Promise<void>;
}

export interface TestPlatformOptions {
  readonly influxUrl: string;
  readonly postgresUrl: string;
  /** Start the simulated demo agent (default true). */
  readonly demoFleet?: boolean;
  /** Extra variables per service name (auth, broker, write, fleet, read, alerts). */
  readonly env?: Readonly<Record<string, Readonly<Record<string, string>>>>;
  /** Start a Prometheus scraping every process; the web server's operator page reads it. */
  readonly prometheus?: { readonly scrapeIntervalMs: number; readonly alertForMs?: number };
  /** Start the alerts service (homeowner alert rules); the web server proxies /api/alerts to it. */
  readonly alerts?: boolean;
}

const repoDir = fileURLToPath(new URL('../..', import.meta.url));

export async function startTestPlatform(options: TestPlatformOptions): Promise<TestPlatform> {
  const tag = `e2e_${process.pid}_${Date.now().toString(36)}`;
  const dataDir = await mkdtemp(join(tmpdir(), 'em-platform-'));
  const running: SpawnedService[] = [];
  let web: FastifyInstance | undefined;
  let webMetrics: MetricsServer | undefined;
  let prometheusFolder: PrometheusTestFolder | undefined;
  const stop = async (): Promise<void> => {
    await web?.close().catch(() => undefined);
    await webMetrics?.close().catch(() => undefined);
    await prometheusFolder?.remove().catch(() => undefined); // stops its Prometheus
    for (const service of running.reverse()) await service.stop().catch(() => service.kill9());
    await dropInfluxDatabase(options.influxUrl, tag).catch(() => undefined);
    await rm(dataDir, { recursive: true, force: true });
  };
  try {
    await createInfluxDatabase(options.influxUrl, tag);
    const databaseUrl = await createPostgresDatabase({ url: options.postgresUrl }, tag);
    const port = (): Promise<number> => findFreePort();
    const settings: PlatformSettings = {
      dataDir,
      repoDir,
      influxUrl: options.influxUrl,
      databaseUrl,
      ports: {
        mqtt: await port(),
        ws: await port(),
        auth: await port(),
        brokerMetrics: await port(),
        writeMetrics: await port(),
        fleetMetrics: await port(),
        authMetrics: await port(),
        read: await port(),
        readMetrics: await port(),
        alerts: await port(),
        alertsMetrics: await port(),
      },
    };
    const extra: Record<string, Record<string, string>> = {
      write: { EM_WRITE_INFLUX_DB: tag },
      read: { EM_READ_INFLUX_DB: tag },
      alerts: { EM_ALERTS_INFLUX_DB: tag },
    };
    const start = async (spec: ServiceSpec): Promise<void> => {
      const env = { ...spec.env, ...extra[spec.name], ...options.env?.[spec.name] };
      running.push(await spawnService({ ...spec, env, logFile: join(dataDir, `${spec.name}.log`), timeoutMs: 60_000 }));
    };
    await start(authService(settings));
    const agentsFile = join(dataDir, 'fleet-agents.json');
    const provisioned = await provisionHouseholds({ databaseUrl, households: 1, demoAgents: 1, agentsFile });
    // Each service with its own PostgreSQL role, as under npm start: these tests prove the grants suffice.
    const { databaseUrls } = provisioned;
    for (const spec of ingestServices(settings, { agentsFile }, { databaseUrl: databaseUrls.broker })) {
      if (spec.name === 'fleet' && options.demoFleet === false) continue;
      await start(spec);
    }
    await start(readService(settings, { clientId: READ_SERVICE_CLIENT_ID, clientSecret: provisioned.readClientSecret, databaseUrl: databaseUrls.read }));
    const webEnv: Record<string, string> = { EM_WEB_PORT: '0', EM_WEB_METRICS_PORT: '0', EM_WEB_AUTH_URL: authUrl(settings), EM_WEB_READ_URL: readUrl(settings), EM_WEB_DIST_DIR: join(repoDir, 'web/dist') };
    if (options.alerts === true) {
      await start(alertsService(settings, { clientId: ALERTS_SERVICE_CLIENT_ID, clientSecret: provisioned.alertsClientSecret, databaseUrl: databaseUrls.alerts }));
      webEnv.EM_WEB_ALERTS_URL = alertsUrl(settings);
    }
    const observability = createWebObservability(loadWebConfig(webEnv));
    let prometheus: RunningPrometheus | undefined;
    if (options.prometheus !== undefined) {
      webMetrics = await observability.start();
      prometheusFolder = await createPrometheusTestFolder();
      prometheus = await startPrometheus({
        dataDir: prometheusFolder.dataDir,
        targets: scrapeTargets(settings, webMetrics.port, options.alerts === true),
        scrapeIntervalMs: options.prometheus.scrapeIntervalMs,
        evaluationIntervalMs: options.prometheus.scrapeIntervalMs,
        ...(options.prometheus.alertForMs === undefined ? {} : { alertForMs: options.prometheus.alertForMs }),
      });
      webEnv.EM_WEB_PROMETHEUS_URL = prometheus.url;
    }
    web = await buildWebServer(loadWebConfig(webEnv), { metrics: observability.metrics });
    await web.listen({ host: '127.0.0.1', port: 0 });
    const address = web.server.address();
    if (address === null || typeof address === 'string') throw new Error('web server has no port');
    return {
      webUrl: `http://127.0.0.1:${address.port}`,
      authUrl: authUrl(settings),
      readUrl: readUrl(settings),
      mqttUrl: `mqtt://127.0.0.1:${settings.ports.mqtt}`,
      demoHouseholdId: provisioned.demoHouseholdId,
      databaseUrl,
      ...(prometheus === undefined ? {} : { prometheusUrl: prometheus.url }),
      ...(options.alerts === true ? { alertsUrl: alertsUrl(settings) } : {}),
      logDir: dataDir,
      stopService: async (name) => {
        const service = running.find((s) => s.name === name);
        if (service === undefined) throw new Error(`no running service ${name}`);
        running.splice(running.indexOf(service), 1);
        await service.stop();
      },
      stop,
    };
  } catch (err) {
    await stop();
    throw err;
  }
}

function scrapeTargets(settings: PlatformSettings, webMetricsPort: number, withAlerts: boolean): { job: string; port: number }[] {
  const { ports } = settings;
  return [
    { job: 'auth', port: ports.authMetrics },
    { job: 'broker', port: ports.brokerMetrics },
    { job: 'write', port: ports.writeMetrics },
    { job: 'fleet', port: ports.fleetMetrics },
    { job: 'read', port: ports.readMetrics },
    { job: 'web', port: webMetricsPort },
    ...(withAlerts ? [{ job: 'alerts', port: ports.alertsMetrics }] : []),
  ];
}
