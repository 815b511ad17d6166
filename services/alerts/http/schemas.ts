// The alerts API's request and response shapes (zod; also the OpenAPI at GET /openapi.json).
// The web app builds against these: change them only by adding optional fields.
import { z } from 'zod';
import { singleLineName, storableText } from '../../../lib/http/storable-text.js';
import { ID_PATTERN } from '../../../proto/topics.js';

export const RULE_KINDS = ['power-above', 'device-silent', 'daily-energy-above'] as const;
export const ALERT_STATES = ['firing', 'resolved'] as const;

/** Longest duration a rule may wait for (7 days), in seconds. */
export const MAX_RULE_SECONDS = 7 * 86_400;

export const householdParams = z.object({ householdId: z.string().regex(ID_PATTERN, 'household ids are [A-Za-z0-9_-]{1,64}') });
export const ruleParams = householdParams.extend({ ruleId: z.uuid('rule ids are UUIDs') });

const deviceId = storableText(z.string().min(1).max(128)).describe('one device; omitted = the whole household');
const name = singleLineName(z.string().trim().min(1).max(100)).describe('shown to the homeowner');
const enabled = z.boolean().default(true);

const powerAbove = z.object({
  kind: z.literal('power-above'),
  name,
  enabled,
  deviceId: deviceId.optional(),
  thresholdW: z.number().positive().max(1_000_000).describe('fires when power stays above this many watts'),
  forSeconds: z.number().int().min(1).max(MAX_RULE_SECONDS).describe('for at least this long (the UI shows minutes)'),
});
const deviceSilent = z.object({
  kind: z.literal('device-silent'),
  name,
  enabled,
  deviceId: deviceId.optional().describe('one device; omitted = each device of the household on its own'),
  silentSeconds: z.number().int().min(1).max(MAX_RULE_SECONDS).describe('fires when nothing arrived for this long'),
});
const dailyEnergyAbove = z.object({
  kind: z.literal('daily-energy-above'),
  name,
  enabled,
  thresholdKwh: z.number().positive().max(100_000).describe("fires when the household's energy of its local day exceeds this"),
});

/** Body of POST (create) and PUT (replace) of a rule. */
export const ruleInput = z.discriminatedUnion('kind', [powerAbove, deviceSilent, dailyEnergyAbove]);
export type RuleInput = z.infer<typeof ruleInput>;

const ruleMeta = z.object({
  id: z.uuid(),
  householdId: z.string(),
  createdAt: z.iso.datetime({ offset: true }),
  updatedAt: z.iso.datetime({ offset: true }),
});
export const ruleView = z.discriminatedUnion('kind', [powerAbove.extend(ruleMeta.shape), deviceSilent.extend(ruleMeta.shape), dailyEnergyAbove.extend(ruleMeta.shape)]);
export type RuleView = z.infer<typeof ruleView>;
export const ruleList = z.object({ rules: z.array(ruleView) });

export const alertsQuery = z.object({
  state: z.enum([...ALERT_STATES, 'all']).default('all'),
  limit: z.coerce.number().int().min(1).max(500).default(100),
  /** Paging: only alerts that started before this instant (pass the last row's startedAt). */
  before: z.iso.datetime({ offset: true }).optional(),
});

export const alertView = z.object({
  id: z.uuid(),
  householdId: z.string(),
  /** null once the rule was deleted; the alert keeps the rule's name and kind. */
  ruleId: z.uuid().nullable(),
  ruleName: z.string(),
  kind: z.enum(RULE_KINDS),
  /** The device the alert is about; null = the whole household. */
  deviceId: z.string().nullable(),
  state: z.enum(ALERT_STATES),
  /** What crossed the threshold when it fired: W (power-above), seconds silent (device-silent), kWh (daily-energy-above). */
  value: z.number(),
  unit: z.enum(['W', 's', 'kWh']),
  threshold: z.number(),
  /** The value when it resolved (null while firing, and for rules deleted while firing). */
  resolvedValue: z.number().nullable(),
  startedAt: z.iso.datetime({ offset: true }),
  resolvedAt: z.iso.datetime({ offset: true }).nullable(),
});
export type AlertView = z.infer<typeof alertView>;
/** Newest first (by startedAt). */
export const alertList = z.object({ alerts: z.array(alertView) });

const webhookUrl = storableText(z.url({ protocol: /^https?$/, error: 'an http:// or https:// URL' }).max(2_000)).describe('where alerts are POSTed');

export const webhookInput = z.object({
  url: webhookUrl,
  enabled,
  /** HMAC key for the signature header; omitted = keep the current one, or generate one if there is none. */
  secret: storableText(z.string().min(16).max(256)).optional(),
});
export type WebhookInput = z.infer<typeof webhookInput>;

export const webhookView = z.object({
  householdId: z.string(),
  url: z.string(),
  enabled: z.boolean(),
  /** The last four characters of the secret, to tell which one is set. */
  secretHint: z.string(),
  /** Only in the answer to the PUT that generated it: shown once. */
  secret: z.string().optional(),
  updatedAt: z.iso.datetime({ offset: true }),
});
export type WebhookView = z.infer<typeof webhookView>;

export const webhookTestResult = z.object({
  eventId: z.uuid(),
  delivered: z.boolean(),
  /** The receiver's HTTP status, when it answered. */
  status: z.number().int().optional(),
  error: z.string().optional(),
});

/** The JSON a webhook receives (POST, content-type application/json). */
export const webhookEvent = z.object({
  eventId: z.uuid().describe('the same on every retry of this event: deduplicate on it'),
  type: z.enum(['alert', 'test']),
  householdId: z.string(),
  alertId: z.uuid().optional(),
  rule: z.object({ id: z.uuid().nullable(), name: z.string(), kind: z.enum(RULE_KINDS) }).optional(),
  deviceId: z.string().nullable().optional(),
  state: z.enum(ALERT_STATES).optional(),
  value: z.number().optional(),
  unit: z.enum(['W', 's', 'kWh']).optional(),
  threshold: z.number().optional(),
  startedAt: z.iso.datetime({ offset: true }).optional(),
  resolvedAt: z.iso.datetime({ offset: true }).nullable().optional(),
  queuedAt: z.iso.datetime({ offset: true }).describe('when the event was queued; the same on every retry'),
});
export type WebhookEvent = z.infer<typeof webhookEvent>;

export const errorBody = z.object({ error: z.string(), message: z.string() });
