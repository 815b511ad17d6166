// The few Prometheus HTTP API calls infra, tests and the operator page need: instant queries
// and the list of alerts (GET /api/v1/query, GET /api/v1/alerts).
import { z } from 'zod';

const querySchema = z.object({
  status: z.literal('success'),
  data: z.object({
    resultType: z.string(),
    result: z.array(z.object({ metric: z.record(z.string(), z.string()), value: z.tuple([z.number(), z.string()]) })),
  }),
});

const alertsSchema = z.object({
  status: z.literal('success'),
  data: z.object({
    alerts: z.array(
      z.object({
        labels: z.record(z.string(), z.string()),
        annotations: z.record(z.string(), z.string()).default({}),
        state: z.enum(['pending', 'firing', 'inactive']),
        activeAt: z.string().optional(),
        value: z.string().optional(),
      }),
    ),
  }),
});

export type PromSample = { readonly labels: Readonly<Record<string, string>>; readonly value: number };
export type PromAlert = z.infer<typeof alertsSchema>['data']['alerts'][number];

/** An instant vector query; throws on anything but a success answer. */
export async function queryPrometheus(url: string, promql: string): Promise<PromSample[]> {
  const response = await fetch(`${url}/api/v1/query?${new URLSearchParams({ query: promql }).toString()}`, { signal: AbortSignal.timeout(10_000) });
  const body = await response.text();
  const parsed = querySchema.safeParse(safeJson(body));
  if (!parsed.success) throw new Error(`Prometheus query ${promql}: ${response.status} ${body.slice(0, 300)}`);
  return parsed.data.data.result.map((sample) => ({ labels: sample.metric, value: Number(sample.value[1]) }));
}

/** Pending and firing alerts, as Prometheus evaluates them right now. */
export async function listAlerts(url: string): Promise<PromAlert[]> {
  const response = await fetch(`${url}/api/v1/alerts`, { signal: AbortSignal.timeout(10_000) });
  const body = await response.text();
  const parsed = alertsSchema.safeParse(safeJson(body));
  if (!parsed.success) throw new Error(`Prometheus alerts: ${response.status} ${body.slice(0, 300)}`);
  return parsed.data.data.alerts;
}

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}
