// The Alertmanager HTTP API calls the CLI and tests need (API v2): the alerts it holds now.
import { z } from 'zod';

const alertsSchema = z.array(
  z.object({
    labels: z.record(z.string(), z.string()),
    annotations: z.record(z.string(), z.string()).default({}),
    startsAt: z.string(),
    endsAt: z.string(),
    status: z.object({
      /** active: notified; suppressed: silenced or inhibited; unprocessed: just received. */
      state: z.enum(['active', 'suppressed', 'unprocessed']),
      silencedBy: z.array(z.string()).default([]),
      inhibitedBy: z.array(z.string()).default([]),
    }),
    receivers: z.array(z.object({ name: z.string() })).default([]),
  }),
);

export type AlertmanagerAlert = z.infer<typeof alertsSchema>[number];

/** The alerts Alertmanager holds (GET /api/v2/alerts), silenced and inhibited ones included. */
export async function listAlertmanagerAlerts(url: string): Promise<AlertmanagerAlert[]> {
  const response = await fetch(`${url}/api/v2/alerts`, { signal: AbortSignal.timeout(10_000) });
  const body = await response.text();
  const parsed = alertsSchema.safeParse(safeJson(body));
  if (!response.ok || !parsed.success) throw new Error(`Alertmanager alerts: ${response.status} ${body.slice(0, 300)}`);
  return parsed.data;
}

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}
