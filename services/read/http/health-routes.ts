// Liveness (the process answers) and readiness (InfluxDB and PostgreSQL answer).
import type { HttpApp } from '../../../lib/http/http-app.js';
import type { ReadContext } from './read-context.js';

export function registerHealthRoutes(app: HttpApp, ctx: ReadContext): void {
  app.get('/healthz', { schema: { hide: true } }, () => ({ status: 'ok' }));
  app.get('/readyz', { schema: { hide: true } }, async (_request, reply) => {
    const [influxdb, postgres] = await Promise.all([ctx.influx.ping(), ctx.catalog.ping()]);
    const live = ctx.hub() !== undefined;
    const ready = influxdb && postgres;
    return reply.status(ready ? 200 : 503).header('retry-after', ready ? undefined : '5').send({ status: ready ? 'ready' : 'not-ready', influxdb, postgres, live });
  });
}
