// The JSON a webhook receives for an alert change (schema: webhookEvent in http/schemas.ts). Built
// once when the event is queued; every retry sends these exact bytes under the same eventId.
import type { AlertView, WebhookEvent } from '../http/schemas.js';

export function alertEventBody(eventId: string, alert: AlertView, nowMs: number): string {
  const event: WebhookEvent = {
    eventId,
    type: 'alert',
    householdId: alert.householdId,
    alertId: alert.id,
    rule: { id: alert.ruleId, name: alert.ruleName, kind: alert.kind },
    deviceId: alert.deviceId,
    state: alert.state,
    value: alert.state === 'resolved' && alert.resolvedValue !== null ? alert.resolvedValue : alert.value,
    unit: alert.unit,
    threshold: alert.threshold,
    startedAt: alert.startedAt,
    resolvedAt: alert.resolvedAt,
    queuedAt: new Date(nowMs).toISOString(),
  };
  return JSON.stringify(event);
}

export function testEventBody(eventId: string, householdId: string, nowMs: number): string {
  const event: WebhookEvent = { eventId, type: 'test', householdId, queuedAt: new Date(nowMs).toISOString() };
  return JSON.stringify(event);
}
