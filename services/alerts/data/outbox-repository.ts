// The webhook outbox (alerts.outbox): due events are claimed with FOR UPDATE SKIP LOCKED and a lease
// (next_attempt_at pushed past the delivery timeout), so replicas never send one event twice at once
// and an event whose sender died is retried when the lease runs out. A household's events leave in
// order, one at a time; a failing webhook holds back only its own household.
import type { Pool } from 'pg';
import { guarded } from './store-errors.js';

export interface OutboxEvent {
  readonly eventId: string;
  readonly householdId: string;
  readonly body: string;
  /** Attempts before this one. */
  readonly attempts: number;
  readonly url: string | undefined;
  readonly secret: string | undefined;
  readonly enabled: boolean;
}

export interface OutboxRepository {
  claimDue(limit: number, leaseMs: number): Promise<OutboxEvent[]>;
  delivered(eventId: string, status: number): Promise<void>;
  retryLater(eventId: string, delayMs: number, status: number | undefined, error: string): Promise<void>;
  giveUp(eventId: string, status: number | undefined, error: string): Promise<void>;
  /** Events neither delivered nor given up. */
  depth(): Promise<number>;
  /** Deletes delivered and given-up events finished more than `ageMs` ago; returns how many. */
  purge(ageMs: number): Promise<number>;
}

export function createOutboxRepository(pool: Pool): OutboxRepository {
  return {
    claimDue: (limit, leaseMs) =>
      guarded(async () => {
        const { rows } = await pool.query<{ event_id: string; household_id: string; body: string; attempts: number; url: string | null; secret: string | null; enabled: boolean | null }>(
          `WITH due AS (
             SELECT event_id FROM alerts.outbox p
              WHERE delivered_at IS NULL AND failed_at IS NULL AND next_attempt_at <= now()
                -- One household's events go out in order: firing before its resolved.
                AND NOT EXISTS (SELECT 1 FROM alerts.outbox e WHERE e.household_id = p.household_id
                  AND e.delivered_at IS NULL AND e.failed_at IS NULL AND (e.created_at, e.event_id) < (p.created_at, p.event_id))
              ORDER BY next_attempt_at LIMIT $1 FOR UPDATE SKIP LOCKED)
           UPDATE alerts.outbox o SET next_attempt_at = now() + make_interval(secs => $2 / 1000.0)
             FROM due WHERE o.event_id = due.event_id
           RETURNING o.event_id, o.household_id, o.body, o.attempts,
             (SELECT url FROM alerts.webhooks w WHERE w.household_id = o.household_id) AS url,
             (SELECT secret FROM alerts.webhooks w WHERE w.household_id = o.household_id) AS secret,
             (SELECT enabled FROM alerts.webhooks w WHERE w.household_id = o.household_id) AS enabled`,
          [limit, leaseMs],
        );
        return rows.map((r) => ({ eventId: r.event_id, householdId: r.household_id, body: r.body, attempts: r.attempts, url: r.url ?? undefined, secret: r.secret ?? undefined, enabled: r.enabled === true }));
      }),
    delivered: (eventId, status) =>
      guarded(async () => {
        await pool.query('UPDATE alerts.outbox SET delivered_at = now(), attempts = attempts + 1, last_status = $2, last_error = NULL WHERE event_id = $1', [eventId, status]);
      }),
    retryLater: (eventId, delayMs, status, error) =>
      guarded(async () => {
        await pool.query(
          'UPDATE alerts.outbox SET attempts = attempts + 1, next_attempt_at = now() + make_interval(secs => $2 / 1000.0), last_status = $3, last_error = $4 WHERE event_id = $1',
          [eventId, delayMs, status ?? null, error.slice(0, 500)],
        );
      }),
    giveUp: (eventId, status, error) =>
      guarded(async () => {
        await pool.query('UPDATE alerts.outbox SET attempts = attempts + 1, failed_at = now(), last_status = $2, last_error = $3 WHERE event_id = $1', [eventId, status ?? null, error.slice(0, 500)]);
      }),
    purge: (ageMs) =>
      guarded(async () => {
        const { rowCount } = await pool.query(
          `DELETE FROM alerts.outbox WHERE COALESCE(delivered_at, failed_at) < now() - make_interval(secs => $1 / 1000.0)`,
          [ageMs],
        );
        return rowCount ?? 0;
      }),
    depth: () =>
      guarded(async () => Number((await pool.query<{ n: string }>('SELECT count(*) AS n FROM alerts.outbox WHERE delivered_at IS NULL AND failed_at IS NULL')).rows[0]?.n ?? 0)),
  };
}
