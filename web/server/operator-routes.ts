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
import { createRecentAnswers } from './recent-answers.js';

export interface OperatorRouteOptions {
  readonly verifier: AccessTokenVerifier;
  /** Undefined when EM_WEB_PROMETHEUS_URL is not set: the routes answer 503. */
  readonly prometheus: PrometheusClient | undefined;
  readonly onPrometheusError?: () => void;
  readonly now?: () => number;
  /** How long one Prometheus answer serves every caller (default 5 s; 0 in tests that need fresh data). */
  readonly shareForMs?: number;
}

const seriesQuery = z.object({ range: z.enum(Object.keys(OPERATOR_RANGES) as [Range]).default('1h') }).strict();

export function registerOperatorRoutes(app: FastifyInstance, options: OperatorRouteOptions): void {
  const now = options.now ?? Date.now;
  const guard = requireAdmin(options.verifier);
  const recentSeries = createRecentAnswers<SeriesAnswer>(options.shareForMs ?? 5_000, now);
  const recentStatus = createRecentAnswers<StatusAnswer>(options.shareForMs ?? 5_000, now);

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
    void reply.header('cache-control', 'no-store');
    return withPrometheus(reply, (prometheus) => recentSeries.get(range, () => loadSeries(prometheus, range, now())));
  });

  app.get('/api/operator/alerts', { preHandler: guard }, async (_request, reply) => {
    void reply.header('cache-control', 'no-store');
    return withPrometheus(reply, (prometheus) => recentStatus.get('status', () => loadStatus(prometheus)));
  });
}

type Range = keyof typeof OPERATOR_RANGES;
type SeriesAnswer = Awaited<ReturnType<typeof loadSeries>>;
type StatusAnswer = Awaited<ReturnType<typeof loadStatus>>;

/** Every operator query over the range, on one time axis shared by all charts. */
async function loadSeries(prometheus: PrometheusClient, range: Range, nowMs: number) {
  const rangeS = OPERATOR_RANGES[range];
  const stepS = stepForRange(rangeS);
  const endS = Math.floor(nowMs / 1000);
  const startS = endS - rangeS;
  const matrices = await Promise.all(OPERATOR_QUERIES.map((q) => prometheus.queryRange(q.expr, startS, endS, stepS)));
  const charts = OPERATOR_QUERIES.map((q, i) => ({ id: q.id, title: q.title, unit: q.unit, series: alignMatrix(matrices[i] ?? [], startS, endS, stepS).series }));
  return { range, stepS, times: alignMatrix([], startS, endS, stepS).times, charts };
}

async function loadStatus(prometheus: PrometheusClient) {
  const [alerts, targets] = await Promise.all([prometheus.alerts(), prometheus.targets()]);
  return { alerts: summariseAlerts(alerts), ...summariseTargets(targets) };
}
