// Liveness (the process answers) and readiness (PostgreSQL, InfluxDB and the MQTT feed).
import type { HttpApp } from '../../../lib/http/http-app.js';
import type { AlertsContext } from './alerts-context.js';

export function registerHealthRoutes(app: HttpApp, ctx: AlertsContext): void {
  app.get('/healthz', { schema: { hide: true } }, () => ({ status: 'ok' }));
  app.get('/readyz', { schema: { hide: true } }, async (_request, reply) => {
    const status = await ctx.ping();
    // InfluxDB matters only for warm starts: evaluation goes on without it.
    const ready = status.postgres && status.live;
    return reply.status(ready ? 200 : 503).header('retry-after', ready ? undefined : '5').send({ status: ready ? 'ready' : 'not-ready', ...status });
  });
}
