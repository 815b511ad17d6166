// The three Prometheus HTTP API calls behind the operator page: range queries, alerts and scrape
// targets. Every call is bounded by a timeout; a Prometheus that cannot be reached (refused, silent,
// 5xx) is PrometheusUnavailableError, which the routes answer with 503.
import { z } from 'zod';
import type { MatrixSeries } from './operator-range.js';

export class PrometheusUnavailableError extends Error {
  override readonly name = 'PrometheusUnavailableError';
}

const matrixSchema = z.object({
  status: z.literal('success'),
  data: z.object({
    resultType: z.literal('matrix'),
    result: z.array(z.object({ metric: z.record(z.string(), z.string()), values: z.array(z.tuple([z.number(), z.string()])) })),
  }),
});

const alertsSchema = z.object({
  status: z.literal('success'),
  data: z.object({
    alerts: z.array(
      z.object({
        labels: z.record(z.string(), z.string()),
        annotations: z.record(z.string(), z.string()).default({}),
        state: z.string(),
        activeAt: z.string().optional(),
        value: z.string().optional(),
      }),
    ),
  }),
});

const targetsSchema = z.object({
  status: z.literal('success'),
  data: z.object({
    activeTargets: z.array(
      z.object({
        labels: z.record(z.string(), z.string()),
        health: z.string(),
        lastError: z.string().default(''),
        lastScrape: z.string().optional(),
      }),
    ),
  }),
});

export type PromAlert = z.infer<typeof alertsSchema>['data']['alerts'][number];
export type PromTarget = z.infer<typeof targetsSchema>['data']['activeTargets'][number];

export interface PrometheusClient {
  queryRange(expr: string, startS: number, endS: number, stepS: number): Promise<MatrixSeries[]>;
  alerts(): Promise<PromAlert[]>;
  targets(): Promise<PromTarget[]>;
}

export function createPrometheusClient(options: { readonly url: string; readonly timeoutMs: number }): PrometheusClient {
  const get = async <T>(path: string, schema: z.ZodType<T>): Promise<T> => {
    let response: Response;
    try {
      response = await fetch(`${options.url}${path}`, { signal: AbortSignal.timeout(options.timeoutMs) });
    } catch (error) {
      const timedOut = error instanceof Error && error.name === 'TimeoutError';
      throw new PrometheusUnavailableError(timedOut ? `Prometheus did not answer within ${options.timeoutMs} ms` : `Prometheus cannot be reached (${describe(error)})`);
    }
    let text: string;
    try {
      text = await response.text();
    } catch (error) {
      throw new PrometheusUnavailableError(`Prometheus answer broke off (${describe(error)})`);
    }
    if (response.status >= 500) throw new PrometheusUnavailableError(`Prometheus answered ${response.status}`);
    const parsed = schema.safeParse(parseJson(text));
    if (!parsed.success) throw new Error(`unexpected Prometheus answer to ${path.split('?')[0]}: ${response.status} ${text.slice(0, 200)}`);
    return parsed.data;
  };
  return {
    async queryRange(expr, startS, endS, stepS) {
      const params = new URLSearchParams({ query: expr, start: String(startS), end: String(endS), step: `${stepS}s` });
      // Prometheus' own limit, in case a query is heavier than the page's budget.
      params.set('timeout', `${Math.max(1, Math.floor(options.timeoutMs / 1000))}s`);
      return (await get(`/api/v1/query_range?${params.toString()}`, matrixSchema)).data.result;
    },
    alerts: async () => (await get('/api/v1/alerts', alertsSchema)).data.alerts,
    targets: async () => (await get('/api/v1/targets?state=active', targetsSchema)).data.activeTargets,
  };
}

function describe(error: unknown): string {
  if (error instanceof Error && error.cause instanceof Error) return error.cause.message;
  return error instanceof Error ? error.message : String(error);
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}
