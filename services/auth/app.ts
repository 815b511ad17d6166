// Builds the auth service (HTTP API, token issuer, metrics) without starting it: nothing listens
// and the database is not touched until start(), which migrates, ensures a signing key, then listens.
import type { Registry } from 'prom-client';
import { createHttpApp, type HttpApp } from '../../lib/http/http-app.js';
import { createLogger, type Logger } from '../../lib/log.js';
import { createProcessRegistry, startMetricsServer, type MetricsServer } from '../../lib/metrics/metrics-server.js';
import { createReadiness, registerReadinessMetrics } from '../../lib/metrics/readiness.js';
import type { AuthContext } from './auth-context.js';
import type { AuthConfig } from './config.js';
import { createDb, type Db } from './data/db.js';
import { createLoginThrottle } from './data/login-throttle.js';
import { createAccessTokens } from './domain/access-tokens.js';
import { createPasswordHasher } from './domain/passwords.js';
import { ensureSigningKey } from './domain/signing-keys.js';
import { registerAccountRoutes } from './http/account-routes.js';
import { registerAgentRoutes } from './http/agent-routes.js';
import { registerDiscoveryRoutes } from './http/discovery-routes.js';
import { registerHouseholdRoutes } from './http/household-routes.js';
import { registerMemberRoutes } from './http/member-routes.js';
import { registerOauthRoutes } from './http/oauth-routes.js';
import { createAuthMetrics, type AuthMetrics } from './metrics.js';
import { migrateAuthDatabase } from './migrate.js';
import { startPruneSchedule, type PruneSchedule } from './prune-schedule.js';

/** Replacements for real edges (tests); what is injected is not closed by stop(). */
export interface AuthServiceDeps {
  readonly log?: Logger;
  readonly registry?: Registry;
}

export interface AuthServiceAddresses {
  readonly port: number;
  readonly metricsPort: number;
}

export interface AuthService {
  /** The Fastify app; tests call app.inject() after start(). */
  readonly app: HttpApp;
  readonly db: Db;
  readonly metrics: AuthMetrics;
  start(): Promise<AuthServiceAddresses>;
  stop(): Promise<void>;
}

function observeDurations(app: HttpApp, metrics: AuthMetrics): void {
  app.addHook('onResponse', (request, reply, done) => {
    // The route pattern, not the URL: ids in paths would explode label cardinality.
    const route = request.routeOptions.url ?? 'unmatched';
    metrics.requestDuration.observe({ method: request.method, route, status: String(reply.statusCode) }, reply.elapsedTime / 1000);
    done();
  });
}

export async function createAuthService(config: Readonly<AuthConfig>, deps: AuthServiceDeps = {}): Promise<AuthService> {
  const log = deps.log ?? createLogger('auth');
  const registry = deps.registry ?? createProcessRegistry({ process: 'auth' });
  const metrics = createAuthMetrics(registry);
  const db = createDb(config.databaseUrl, log);
  const ctx: AuthContext = {
    config,
    db,
    log,
    metrics,
    passwords: createPasswordHasher(config.argon2),
    tokens: createAccessTokens(db, { issuer: config.issuer, audience: config.audience }),
    throttle: createLoginThrottle(db, config.throttle),
  };
  const app = await createHttpApp({
    log,
    bodyLimitBytes: config.bodyLimitBytes,
    trustProxy: config.trustedProxies,
    openapi: { title: 'Energymonitor auth service', version: '1', description: 'Accounts, households, agents and tokens (services/auth/README.md).' },
  });
  observeDurations(app, metrics);
  registerDiscoveryRoutes(app, ctx);
  registerAccountRoutes(app, ctx);
  registerHouseholdRoutes(app, ctx);
  registerMemberRoutes(app, ctx);
  registerAgentRoutes(app, ctx);
  await registerOauthRoutes(app, ctx);

  let metricsServer: MetricsServer | undefined;
  // What /readyz says, on the metrics port too, for Prometheus (em_readiness_check_ok, ProcessNotReady).
  const readiness = createReadiness([
    {
      name: 'postgres',
      async run() {
        if (!(await db.ping())) throw new Error('PostgreSQL does not answer');
      },
    },
  ]);
  registerReadinessMetrics(registry, readiness);
  let prune: PruneSchedule | undefined;
  return {
    app,
    db,
    metrics,
    async start() {
      await migrateAuthDatabase(config.databaseUrl, { log });
      await ensureSigningKey(db);
      await app.listen({ host: config.host, port: config.port });
      metricsServer = await startMetricsServer({ registry, port: config.metricsPort, host: config.host, readiness });
      prune = startPruneSchedule(ctx, config.pruneIntervalMs);
      const address = app.server.address();
      return { port: typeof address === 'object' && address !== null ? address.port : config.port, metricsPort: metricsServer.port };
    },
    async stop() {
      // Before the pool closes: a pass under way ends first, and none starts after.
      await prune?.stop();
      await app.close();
      await metricsServer?.close();
      await db.close();
    },
  };
}
