// Webhook configuration per household (alerts.webhooks).
import { randomBytes } from 'node:crypto';
import type { Pool } from 'pg';
import type { WebhookInput, WebhookView } from '../http/schemas.js';
import { guarded } from './store-errors.js';

interface WebhookRow {
  household_id: string;
  url: string;
  secret: string;
  enabled: boolean;
  updated_at: Date;
}

export interface WebhookTarget {
  readonly url: string;
  readonly secret: string;
  readonly enabled: boolean;
}

export interface WebhooksRepository {
  get(householdId: string): Promise<WebhookView | undefined>;
  target(householdId: string): Promise<WebhookTarget | undefined>;
  /** Creates or replaces; without a secret keeps the current one or generates one (returned once). */
  put(householdId: string, input: WebhookInput): Promise<WebhookView>;
  remove(householdId: string): Promise<boolean>;
}

const view = (row: WebhookRow, generated?: string): WebhookView => ({
  householdId: row.household_id,
  url: row.url,
  enabled: row.enabled,
  secretHint: row.secret.slice(-4),
  ...(generated === undefined ? {} : { secret: generated }),
  updatedAt: row.updated_at.toISOString(),
});

export function createWebhooksRepository(pool: Pool): WebhooksRepository {
  return {
    get: (householdId) =>
      guarded(async () => {
        const { rows } = await pool.query<WebhookRow>('SELECT * FROM alerts.webhooks WHERE household_id = $1', [householdId]);
        return rows[0] === undefined ? undefined : view(rows[0]);
      }),
    target: (householdId) =>
      guarded(async () => {
        const { rows } = await pool.query<WebhookRow>('SELECT * FROM alerts.webhooks WHERE household_id = $1', [householdId]);
        return rows[0] === undefined ? undefined : { url: rows[0].url, secret: rows[0].secret, enabled: rows[0].enabled };
      }),
    put: (householdId, input) =>
      guarded(async () => {
        const generated = input.secret === undefined ? randomBytes(24).toString('base64url') : undefined;
        // An explicit secret replaces; a generated one only fills an empty slot (COALESCE keeps the old).
        const { rows } = await pool.query<WebhookRow & { inserted: boolean }>(
          `INSERT INTO alerts.webhooks (household_id, url, secret, enabled) VALUES ($1, $2, COALESCE($3, $4), $5)
           ON CONFLICT (household_id) DO UPDATE SET url = EXCLUDED.url, enabled = EXCLUDED.enabled,
             secret = COALESCE($3, alerts.webhooks.secret), updated_at = now()
           RETURNING *, (xmax = 0) AS inserted`,
          [householdId, input.url, input.secret ?? null, generated, input.enabled],
        );
        const row = rows[0] as WebhookRow & { inserted: boolean };
        return view(row, generated !== undefined && row.secret === generated ? generated : undefined);
      }),
    remove: (householdId) =>
      guarded(async () => ((await pool.query('DELETE FROM alerts.webhooks WHERE household_id = $1', [householdId])).rowCount ?? 0) > 0),
  };
}
