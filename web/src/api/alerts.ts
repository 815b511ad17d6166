// Calls to the alerts service (through the web server's /api/alerts proxy) for one household.
import { ApiError, type ApiClient, jsonBody } from './client';
import type { Alert, AlertRule, AlertRuleInput, AlertWebhook, AlertWebhookInput, WebhookTestResult } from './alerts-types';

export type AlertStateFilter = 'firing' | 'resolved' | 'all';

const base = (householdId: string): string => `/v1/households/${encodeURIComponent(householdId)}`;

/** What homeowners read when this installation runs without the alerts service. */
export const ALERTS_UNAVAILABLE = 'Alerts are not available on this installation.';

/** The web server's 503 when EM_WEB_ALERTS_URL is not set (no alerts service on this installation). */
export function isAlertsNotConfigured(err: unknown): err is ApiError {
  return err instanceof ApiError && err.code === 'alerts-not-configured';
}

/** Every call of this module: the server's "not configured" message names a variable, for operators. */
async function call<T>(answer: Promise<T>): Promise<T> {
  try {
    return await answer;
  } catch (err) {
    throw isAlertsNotConfigured(err) ? new ApiError(err.status, err.code, ALERTS_UNAVAILABLE) : err;
  }
}

export function listAlerts(client: ApiClient, householdId: string, state: AlertStateFilter, limit: number, signal?: AbortSignal): Promise<Alert[]> {
  const query = new URLSearchParams({ state, limit: String(limit) });
  return call(client.json<{ alerts: Alert[] }>('/api/alerts', `${base(householdId)}/alerts?${query.toString()}`, { signal })).then((answer) => answer.alerts);
}

export function listRules(client: ApiClient, householdId: string, signal?: AbortSignal): Promise<AlertRule[]> {
  return call(client.json<{ rules: AlertRule[] }>('/api/alerts', `${base(householdId)}/alert-rules`, { signal })).then((answer) => answer.rules);
}

export function createRule(client: ApiClient, householdId: string, rule: AlertRuleInput): Promise<AlertRule> {
  return call(client.json<AlertRule>('/api/alerts', `${base(householdId)}/alert-rules`, { method: 'POST', body: jsonBody(rule) }));
}

export function replaceRule(client: ApiClient, householdId: string, ruleId: string, rule: AlertRuleInput): Promise<AlertRule> {
  return call(client.json<AlertRule>('/api/alerts', `${base(householdId)}/alert-rules/${encodeURIComponent(ruleId)}`, { method: 'PUT', body: jsonBody(rule) }));
}

export async function deleteRule(client: ApiClient, householdId: string, ruleId: string): Promise<void> {
  await call(client.json<undefined>('/api/alerts', `${base(householdId)}/alert-rules/${encodeURIComponent(ruleId)}`, { method: 'DELETE' }));
}

/** The household's webhook, or null when none is configured (the service's 404 webhook-not-configured). */
export async function getWebhook(client: ApiClient, householdId: string, signal?: AbortSignal): Promise<AlertWebhook | null> {
  try {
    return await call(client.json<AlertWebhook>('/api/alerts', `${base(householdId)}/alert-webhook`, { signal }));
  } catch (err) {
    if (err instanceof ApiError && err.status === 404) return null;
    throw err;
  }
}

/** Saves the webhook; the answer carries `secret` once, when the service generated a new one. */
export function putWebhook(client: ApiClient, householdId: string, webhook: AlertWebhookInput): Promise<AlertWebhook> {
  return call(client.json<AlertWebhook>('/api/alerts', `${base(householdId)}/alert-webhook`, { method: 'PUT', body: jsonBody(webhook) }));
}

export async function deleteWebhook(client: ApiClient, householdId: string): Promise<void> {
  await call(client.json<undefined>('/api/alerts', `${base(householdId)}/alert-webhook`, { method: 'DELETE' }));
}

export function testWebhook(client: ApiClient, householdId: string): Promise<WebhookTestResult> {
  return call(client.json<WebhookTestResult>('/api/alerts', `${base(householdId)}/alert-webhook/test`, { method: 'POST' }));
}
