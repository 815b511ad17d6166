// Builds the read service (HTTP API, live fan-out, retention setup, rollup reconciliation) without
// starting it: nothing listens or connects until start().
import type pg from 'pg';
import type { Registry } from 'prom-client';
import type { MembershipDirectory } from '../../lib/auth/directory.js';
import { createPgDirectory } from '../../lib/auth/pg-directory.js';
import { openServicePool } from '../../lib/pg/service-pool.js';
import { MQTT_TOKEN_USERNAME, type AccessTokenVerifier } from '../../lib/auth/principal.js';
import { createServiceTokenSource } from '../../lib/auth/service-token-source.js';
import { createCachedVerifier } from '../../lib/auth/cached-verifier.js';
import { createTokenVerifier } from '../../lib/auth/token-verifier.js';
import { createHttpApp, type HttpApp } from '../../lib/http/http-app.js';
import { createLogger, type Logger } from '../../lib/log.js';
import { createReadiness, registerReadinessMetrics } from '../../lib/metrics/readiness.js';
import { createProcessRegistry, startMetricsServer, type MetricsServer } from '../../lib/metrics/metrics-server.js';
import { createPgHouseholdCatalog } from './catalog/pg-household-catalog.js';
import type { ReadConfig } from './config.js';
import type { HouseholdCatalog } from './household-catalog.js';
import { registerHealthRoutes } from './http/health-routes.js';
import { registerHistoryRoutes } from './http/history-routes.js';
import { registerLiveRoute } from './http/live-route.js';
import type { ReadContext } from './http/read-context.js';
import { registerReportRoutes } from './http/report-routes.js';
import { createActivityQueries } from './influx/activity-queries.js';
import { createHistoryQueries, type PowerPoint } from './influx/history-queries.js';
import { createChunkCache } from './domain/chunk-cache.js';
import type { CounterBucket } from './domain/counter-energy.js';
import { HOUR_MS, MINUTE_MS, WEEK_MS } from './domain/durations.js';
import { createInfluxClient } from './influx/influx-client.js';
import { defaultRollups, sourceCatalogue, type RetentionLayout } from './influx/rollup-layout.js';
import { createLiveHub, type LiveHub } from './live/live-hub.js';
import { connectMqttFeed, type LiveFeed } from './live/live-feed.js';
import { createReadMetrics, type ReadMetrics } from './metrics.js';
import { createMaintenance } from './maintenance.js';

/** Replacements for the real edges (tests); what is injected is not closed by stop(). */
export interface ReadServiceDeps {
  readonly log?: Logger;
  readonly registry?: Registry;
  readonly now?: () => number;
  readonly verifier?: AccessTokenVerifier;
  readonly memberships?: MembershipDirectory;
  readonly catalog?: HouseholdCatalog;
  /** Connects the live feed; default: MQTT at config.mqtt.url. */
  readonly connectFeed?: () => Promise<LiveFeed>;
  /** A fresh service access token for the MQTT password (scope readings:subscribe-all). */
  readonly mqttPassword?: () => Promise<string>;
}

export interface ReadService {
  readonly app: HttpApp;
  readonly metrics: ReadMetrics;
  readonly layout: RetentionLayout;
  /** Sets up retention (retried in the background while InfluxDB is down), connects MQTT, listens. */
  start(): Promise<{ port: number; metricsPort: number }>;
  stop(): Promise<void>;
  /** Resolves once retention policies and continuous queries exist (tests, backfill). */
  retentionReady(): Promise<string>;
}

export async function createReadService(config: Readonly<ReadConfig>, deps: ReadServiceDeps = {}): Promise<ReadService> {
  const log = deps.log ?? createLogger('read');
  const registry = deps.registry ?? createProcessRegistry({ process: 'read' });
  const metrics = createReadMetrics(registry);
  const now = deps.now ?? Date.now;
  const pool = deps.catalog === undefined || deps.memberships === undefined ? openServicePool({ databaseUrl: config.databaseUrl, max: 8, applicationName: 'energymonitor-read', log }) : undefined;
  const influx = createInfluxClient({ ...config.influx, observe: (s, o) => metrics.influxQuery(s, o) });
  const layout: RetentionLayout = {
    database: config.influx.database,
    rawRetentionMs: config.retention.rawMs,
    rollups: defaultRollups(config.retention.rollup1mMs, config.retention.rollup1hMs),
  };
  const caches = {
    counters: createChunkCache<CounterBucket>({ chunkMs: WEEK_MS, maxChunks: config.historyCache.counterChunks, ttlMs: config.historyCache.ttlMs, now: Date.now }),
    power: createChunkCache<PowerPoint>({ chunkMs: HOUR_MS, maxChunks: config.historyCache.powerChunks, ttlMs: config.historyCache.ttlMs, now: Date.now }),
  };
  const onRepaired = (fromMs: number, toMs: number): void => {
    caches.counters.invalidate(fromMs, toMs);
    caches.power.invalidate(fromMs, toMs);
  };
  const maintenance = createMaintenance({ influx, layout, log, now, reconcile: config.reconcile, metrics, onRepaired });
  const catalogue = sourceCatalogue(layout);
  let hub: LiveHub | undefined;
  let feed: LiveFeed | undefined;
  const ctx: ReadContext = {
    config,
    // Every request carries a token; the same one comes back until it expires (lib/auth/cached-verifier.ts).
    verifier: deps.verifier ?? createCachedVerifier(createTokenVerifier(config.auth)),
    memberships: deps.memberships ?? createPgDirectory(pool as pg.Pool),
    catalog: deps.catalog ?? createPgHouseholdCatalog(pool as pg.Pool, log),
    influx,
    history: createHistoryQueries(influx, maintenance.location, catalogue, { ...caches, countersFinalAfterMs: 3 * HOUR_MS, powerFinalAfterMs: 20 * MINUTE_MS }),
    activity: createActivityQueries(influx, maintenance.location),
    catalogue,
    metrics,
    now,
    hub: () => hub,
    agentStatus: async (householdId) => (hub === undefined ? new Map() : hub.agentStatus(householdId)),
  };
  const app = await createHttpApp({ log, bodyLimitBytes: 16 * 1024, openapi: { title: 'Energymonitor read API', version: '1' } });
  app.addHook('onResponse', (request, reply, done) => {
    metrics.request(request.routeOptions.url ?? 'unmatched', request.method, reply.statusCode, reply.elapsedTime / 1000);
    done();
  });
  registerHealthRoutes(app, ctx);
  registerHistoryRoutes(app, ctx);
  registerReportRoutes(app, ctx);
  registerLiveRoute(app, ctx);
  let metricsServer: MetricsServer | undefined;
  // The same dependencies /readyz reports, on the metrics port too, so Prometheus sees them
  // (em_readiness_check_ok; ProcessNotReady in infra/prometheus/rules/platform.yml).
  const readiness = createReadiness([
    { name: 'influxdb', run: async () => assertReady(await influx.ping(), 'InfluxDB does not answer /ping') },
    { name: 'postgres', run: async () => assertReady(await ctx.catalog.ping(), 'PostgreSQL does not answer') },
    { name: 'live-feed', run: () => assertReady(hub !== undefined, 'the MQTT feed is not connected') },
  ]);
  registerReadinessMetrics(registry, readiness);

  const service = config.serviceClient;
  const passwordProvider = deps.mqttPassword ?? (service === undefined ? undefined : createServiceTokenSource({ ...service, scope: 'readings:subscribe-all' }));
  const connectFeed =
    deps.connectFeed ??
    (() => connectMqttFeed({ url: config.mqtt.url, username: passwordProvider === undefined ? config.mqtt.username : MQTT_TOKEN_USERNAME, password: config.mqtt.password, passwordProvider }));
  return {
    app,
    metrics,
    layout,
    retentionReady: () => maintenance.ready(),
    async start() {
      maintenance.start();
      feed = await connectFeed();
      hub = createLiveHub(feed, { ringCapacity: config.sse.ringEvents, lingerMs: config.sse.lingerMs, resumeWindowMs: config.sse.resumeWindowMs, metrics: metrics.live, log });
      const address = await app.listen({ port: config.port, host: config.host });
      metricsServer = await startMetricsServer({ registry, port: config.metricsPort, host: config.host, readiness });
      return { port: Number(new URL(address).port), metricsPort: metricsServer.port };
    },
    async stop() {
      maintenance.stop();
      hub?.closeAll();
      await app.close();
      await feed?.close();
      await metricsServer?.close();
      await pool?.end();
    },
  };
}

function assertReady(ok: boolean, reason: string): void {
  if (!ok) throw new Error(reason);
}
