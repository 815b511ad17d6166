// The alerts service's API shapes, as types only: the zod schemas in services/alerts/http/schemas.ts
// are the source of truth and the web app builds against them (nothing of zod reaches the bundle).
import type { AlertView, RuleInput, RuleView, WebhookInput, WebhookView } from '../../../services/alerts/http/schemas';

export type AlertRule = RuleView;
export type AlertRuleInput = RuleInput;
export type AlertRuleKind = RuleInput['kind'];
export type Alert = AlertView;
export type AlertWebhook = WebhookView;
export type AlertWebhookInput = WebhookInput;

export interface WebhookTestResult {
  eventId: string;
  delivered: boolean;
  /** The receiver's HTTP status, when it answered. */
  status?: number;
  error?: string;
}
