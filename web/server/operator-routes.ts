// GET /api/operator/series?range=1h|6h|24h and GET /api/operator/alerts: the operator page's view of
// Prometheus. Not a PromQL proxy — the browser picks a range, the server runs the fixed list in
// infra/prometheus-queries.ts — so no caller can send arbitrary or heavy queries.
import type { FastifyInstance, FastifyReply } from 'fastify';
import { z } from 'zod';
import type { AccessTokenVerifier } from '../../lib/auth/principal.js';
import { OPERATOR_QUERIES } from '../../infra/prometheus-queries.js';
import { requireAdmin } from './admin-guard.js';
import { alignMatrix, OPERATOR_RANGES, stepForRange } from './operator-range.js';
import { summariseAlerts, summariseTargets } from './operator-status.js';
import { PrometheusUnavailableError, type PrometheusClient } from './prometheus-client.js';

export interface OperatorRouteOptions {
  readonly verifier: AccessTokenVerifier;
  /** Undefined when EM_WEB_PROMETHEUS_URL is not set: the routes answer 503. */
  readonly prometheus: PrometheusClient | undefined;
  readonly onPrometheusError?: () => void;
  readonly now?: () => number;
}

const seriesQuery = z.object({ range: z.enum(Object.keys(OPERATOR_RANGES) as [keyof typeof OPERATOR_RANGES]).default('1h') }).strict();

export function registerOperatorRoutes(app: FastifyInstance, options: OperatorRouteOptions): void {
  const now = options.now ?? Date.now;
  const guard = requireAdmin(options.verifier);

  /** Runs `work` against Prometheus, answering 503 when it is not configured or cannot be reached. */
  const withPrometheus = async <T>(reply: FastifyReply, work: (prometheus: PrometheusClient) => Promise<T>): Promise<T | FastifyReply> => {
    if (options.prometheus === undefined) {
      return reply.status(503).send({ error: 'monitoring-not-configured', message: 'monitoring not configured: set EM_WEB_PROMETHEUS_URL' });
    }
    try {
      return await work(options.prometheus);
    } catch (error) {
      if (!(error instanceof PrometheusUnavailableError)) throw error;
      options.onPrometheusError?.();
      reply.log.warn({ err: error }, 'Prometheus unavailable');
      return reply.status(503).header('retry-after', '15').send({ error: 'monitoring-unavailable', message: `${error.message}; retry shortly` });
    }
  };

  app.get('/api/operator/series', { preHandler: guard }, async (request, reply) => {
    const query = seriesQuery.safeParse(request.query);
    if (!query.success) return reply.status(400).send({ error: 'invalid-request', message: `range must be one of ${Object.keys(OPERATOR_RANGES).join(', ')}` });
    const { range } = query.data;
    const rangeS = OPERATOR_RANGES[range];
    const stepS = stepForRange(rangeS);
    const endS = Math.floor(now() / 1000);
    const startS = endS - rangeS;
    return withPrometheus(reply, async (prometheus) => {
      const matrices = await Promise.all(OPERATOR_QUERIES.map((q) => prometheus.queryRange(q.expr, startS, endS, stepS)));
      const charts = OPERATOR_QUERIES.map((q, i) => {
        const { series } = alignMatrix(matrices[i] ?? [], startS, endS, stepS);
        return { id: q.id, title: q.title, unit: q.unit, series };
      });
      const { times } = alignMatrix([], startS, endS, stepS);
      void reply.header('cache-control', 'no-store');
      return { range, stepS, times, charts };
    });
  });

  app.get('/api/operator/alerts', { preHandler: guard }, async (_request, reply) =>
    withPrometheus(reply, async (prometheus) => {
      const [alerts, targets] = await Promise.all([prometheus.alerts(), prometheus.targets()]);
      void reply.header('cache-control', 'no-store');
      return { alerts: summariseAlerts(alerts), ...summariseTargets(targets) };
    }),
  );
}
