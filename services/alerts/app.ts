// Builds the alerts service (HTTP API, evaluator, webhook outbox worker) without starting it:
// nothing listens or connects until start().
import type { Registry } from 'prom-client';
import type { HouseholdRoles } from '../../lib/auth/directory.js';
import { createPgDirectory } from '../../lib/auth/pg-directory.js';
import { openServicePool } from '../../lib/pg/service-pool.js';
import { MQTT_TOKEN_USERNAME, type AccessTokenVerifier } from '../../lib/auth/principal.js';
import { createServiceTokenSource } from '../../lib/auth/service-token-source.js';
import { createTokenVerifier } from '../../lib/auth/token-verifier.js';
import { createHttpApp, type HttpApp } from '../../lib/http/http-app.js';
import { createLogger, type Logger } from '../../lib/log.js';
import { createReadiness, registerReadinessMetrics } from '../../lib/metrics/readiness.js';
import { createProcessRegistry, startMetricsServer, type MetricsServer } from '../../lib/metrics/metrics-server.js';
import { connectMqttFeed, type LiveFeed } from '../../lib/mqtt/mqtt-feed.js';
import type { AlertsConfig } from './config.js';
import { createAlertsRepository } from './data/alerts-repository.js';
import { migrateAlertsDatabase } from './data/migrate.js';
import { createOutboxRepository } from './data/outbox-repository.js';
import { createRulesRepository } from './data/rules-repository.js';
import { createWebhooksRepository } from './data/webhooks-repository.js';
import { createAlertEngine } from './domain/alert-engine.js';
import { createEvaluator } from './evaluator.js';
import type { AlertsContext } from './http/alerts-context.js';
import { registerAlertRoutes } from './http/alert-routes.js';
import { registerHealthRoutes } from './http/health-routes.js';
import { registerRuleRoutes } from './http/rule-routes.js';
import { registerWebhookRoutes } from './http/webhook-routes.js';
import { createWarmStart } from './influx/warm-start.js';
import { createAlertsMetrics, type AlertsMetrics } from './metrics.js';
import { createTransitionSink } from './transition-sink.js';
import { createOutboxWorker } from './webhook/outbox-worker.js';

/** Replacements for the real edges (tests); what is injected is not closed by stop(). */
export interface AlertsServiceDeps {
  readonly log?: Logger;
  readonly registry?: Registry;
  readonly now?: () => number;
  readonly verifier?: AccessTokenVerifier;
  readonly roles?: HouseholdRoles;
  /** Connects the live feed; default: MQTT at config.mqtt.url. */
  readonly connectFeed?: () => Promise<LiveFeed>;
}

export interface AlertsService {
  readonly app: HttpApp;
  readonly metrics: AlertsMetrics;
  /** Migrates, loads rules and open alerts, warm-starts, connects MQTT, listens. */
  start(): Promise<{ port: number; metricsPort: number }>;
  stop(): Promise<void>;
  /** Resolves when every transition so far is recorded (tests). */
  drained(): Promise<void>;
}

export async function createAlertsService(config: Readonly<AlertsConfig>, deps: AlertsServiceDeps = {}): Promise<AlertsService> {
  const log = deps.log ?? createLogger('alerts');
  const registry = deps.registry ?? createProcessRegistry({ process: 'alerts' });
  const metrics = createAlertsMetrics(registry);
  const now = deps.now ?? Date.now;
  const pool = openServicePool({ databaseUrl: config.databaseUrl, max: 8, applicationName: 'energymonitor-alerts', log });
  const rules = createRulesRepository(pool);
  const alerts = createAlertsRepository(pool, now);
  const webhooks = createWebhooksRepository(pool);
  const outbox = createOutboxWorker({ outbox: createOutboxRepository(pool), log, metrics, now, ...config.webhook });
  const engine = createAlertEngine({ startedAtMs: now(), staleAfterMs: config.evaluation.powerStaleMs });
  /** An alert fired or resolved, whether the engine found it or a rule change did: counted and logged. */
  const announce = (type: 'fired' | 'resolved', kind: string, fields: Readonly<Record<string, unknown>>, message: string): void => {
    metrics.transition(type, kind);
    log.info({ ...fields, type }, message);
  };
  const sink = createTransitionSink({
    alerts,
    log,
    retryMs: 2_000,
    recorded: (t) => {
      announce(t.type, engine.kindOf(t.ruleId) ?? 'unknown', { householdId: t.householdId, ruleId: t.ruleId, subject: t.subject, value: t.value }, `alert ${t.type}`);
      outbox.kick();
    },
  });
  const warmStart = createWarmStart(config.influx, config.evaluation.lastSeenLookbackMs, config.evaluation.powerStaleMs);
  const evaluator = createEvaluator({ engine, rules, alerts, warmStart, sink, metrics, log, now, tickMs: config.evaluation.tickMs, rulesRefreshMs: config.evaluation.rulesRefreshMs });
  let feed: LiveFeed | undefined;
  const pgUp = async (): Promise<boolean> => pool.query('SELECT 1').then(() => true, () => false);
  const ctx: AlertsContext = {
    verifier: deps.verifier ?? createTokenVerifier(config.auth),
    roles: deps.roles ?? createPgDirectory(pool),
    householdExists: async (id) => (await pool.query('SELECT 1 FROM households WHERE id = $1', [id])).rowCount === 1,
    rules,
    alerts,
    webhooks,
    rulesChanged: () => evaluator.refresh(),
    resolvedByRuleChange: (resolved) => {
      for (const alert of resolved) {
        announce('resolved', alert.kind, { householdId: alert.householdId, ruleId: alert.ruleId, subject: alert.deviceId ?? '' }, 'alert resolved (rule changed)');
      }
      if (resolved.length > 0) outbox.kick();
    },
    webhook: config.webhook,
    maxRulesPerHousehold: config.maxRulesPerHousehold,
    now,
    ping: async () => {
      const [postgres, influxdb] = await Promise.all([pgUp(), warmStart.ping()]);
      return { postgres, influxdb, live: feed !== undefined };
    },
  };
  const app = await createHttpApp({ log, bodyLimitBytes: 16 * 1024, openapi: { title: 'Energymonitor alerts API', version: '1' } });
  app.addHook('onResponse', (request, reply, done) => {
    metrics.request(request.routeOptions.url ?? 'unmatched', request.method, reply.statusCode);
    done();
  });
  registerHealthRoutes(app, ctx);
  registerRuleRoutes(app, ctx);
  registerAlertRoutes(app, ctx);
  registerWebhookRoutes(app, ctx);

  const readiness = createReadiness([
    { name: 'postgres', run: async () => assertReady(await pgUp(), 'PostgreSQL does not answer') },
    { name: 'live-feed', run: () => assertReady(feed !== undefined, 'the MQTT feed is not connected') },
  ]);
  registerReadinessMetrics(registry, readiness);
  const service = config.serviceClient;
  const passwordProvider = service === undefined ? undefined : createServiceTokenSource({ ...service, scope: 'readings:subscribe-all' });
  const connectFeed =
    deps.connectFeed ??
    (() =>
      connectMqttFeed({
        url: config.mqtt.url,
        username: passwordProvider === undefined ? config.mqtt.username : MQTT_TOKEN_USERNAME,
        password: config.mqtt.password,
        passwordProvider,
        clientIdPrefix: 'alerts',
      }));
  let metricsServer: MetricsServer | undefined;
  return {
    app,
    metrics,
    drained: () => sink.drained(),
    async start() {
      await migrateAlertsDatabase(config.databaseUrl, log);
      const connected = await connectFeed();
      await evaluator.start(connected);
      feed = connected;
      outbox.start();
      const address = await app.listen({ port: config.port, host: config.host });
      metricsServer = await startMetricsServer({ registry, port: config.metricsPort, host: config.host, readiness });
      return { port: Number(new URL(address).port), metricsPort: metricsServer.port };
    },
    async stop() {
      evaluator.stop();
      await app.close();
      await feed?.close();
      // What PostgreSQL cannot take within 5 s is re-derived from the readings after the restart.
      await sink.drained(5_000);
      sink.stop();
      await outbox.stop();
      await metricsServer?.close();
      await pool.end();
    },
  };
}

function assertReady(ok: boolean, reason: string): void {
  if (!ok) throw new Error(reason);
}
