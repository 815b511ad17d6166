// Alert instances in alerts.alerts, and the webhook events their changes queue in alerts.outbox —
// in one transaction, so an alert is never recorded without its notification or the other way round.
import { randomUUID } from 'node:crypto';
import type { Pool, PoolClient } from 'pg';
import { HOUSEHOLD, thresholdOf, unitOf, type OpenAlert, type Transition } from '../domain/rules.js';
import type { AlertView } from '../http/schemas.js';
import { alertEventBody } from '../webhook/event-body.js';
import { toEngineRule, toView } from './rules-repository.js';
import { guarded } from './store-errors.js';

interface AlertRow {
  id: string;
  household_id: string;
  rule_id: string | null;
  rule_name: string;
  kind: AlertView['kind'];
  subject: string;
  state: AlertView['state'];
  value: number;
  unit: AlertView['unit'];
  threshold: number;
  resolved_value: number | null;
  started_at: Date;
  resolved_at: Date | null;
}

export interface AlertsRepository {
  list(householdId: string, state: 'firing' | 'resolved' | 'all', limit: number, beforeMs?: number): Promise<AlertView[]>;
  /** Every firing alert (a restart hands them back to the engine). */
  open(): Promise<(OpenAlert & { householdId: string })[]>;
  /** Records one engine transition and queues its webhook event; false when it changed nothing (already recorded). */
  record(transition: Transition): Promise<boolean>;
  /**
   * Resolves the firing alerts of one household's rule inside `tx` (rule edited, disabled or
   * deleted) and returns them. Scoped by household as well as rule id, so an id taken from another
   * household's URL resolves nothing.
   */
  resolveForRule(tx: PoolClient, householdId: string, ruleId: string, atMs: number): Promise<AlertView[]>;
  transaction<T>(work: (tx: PoolClient) => Promise<T>): Promise<T>;
}

const COLUMNS = 'id, household_id, rule_id, rule_name, kind, subject, state, value, unit, threshold, resolved_value, started_at, resolved_at';

export function toAlertView(row: AlertRow): AlertView {
  return {
    id: row.id,
    householdId: row.household_id,
    ruleId: row.rule_id,
    ruleName: row.rule_name,
    kind: row.kind,
    deviceId: row.subject === HOUSEHOLD ? null : row.subject,
    state: row.state,
    value: row.value,
    unit: row.unit,
    threshold: row.threshold,
    resolvedValue: row.resolved_value,
    startedAt: row.started_at.toISOString(),
    resolvedAt: row.resolved_at === null ? null : row.resolved_at.toISOString(),
  };
}

/** Queues the webhook event of an alert change when the household has an enabled webhook. */
async function enqueue(tx: PoolClient, alert: AlertView, nowMs: number): Promise<void> {
  const { rows } = await tx.query<{ enabled: boolean }>('SELECT enabled FROM alerts.webhooks WHERE household_id = $1', [alert.householdId]);
  if (rows[0]?.enabled !== true) return;
  const eventId = randomUUID();
  await tx.query('INSERT INTO alerts.outbox (event_id, household_id, body) VALUES ($1, $2, $3)', [eventId, alert.householdId, alertEventBody(eventId, alert, nowMs)]);
}

export function createAlertsRepository(pool: Pool, now: () => number = Date.now): AlertsRepository {
  const transaction = async <T>(work: (tx: PoolClient) => Promise<T>): Promise<T> =>
    guarded(async () => {
      const client = await pool.connect();
      try {
        await client.query('BEGIN');
        const result = await work(client);
        await client.query('COMMIT');
        return result;
      } catch (err) {
        await client.query('ROLLBACK').catch(() => undefined);
        throw err;
      } finally {
        client.release();
      }
    });

  const fire = async (tx: PoolClient, t: Transition): Promise<boolean> => {
    const rules = await tx.query('SELECT id, household_id, name, kind, enabled, params, created_at, updated_at FROM alerts.rules WHERE id = $1 AND household_id = $2', [
      t.ruleId,
      t.householdId,
    ]);
    const ruleRow = rules.rows[0] as Parameters<typeof toView>[0] | undefined;
    if (ruleRow === undefined) return false; // deleted meanwhile
    const rule = toEngineRule(toView(ruleRow));
    const { rows } = await tx.query<AlertRow>(
      `INSERT INTO alerts.alerts (id, household_id, rule_id, rule_name, kind, subject, state, value, unit, threshold, started_at)
       VALUES ($1, $2, $3, $4, $5, $6, 'firing', $7, $8, $9, to_timestamp($10 / 1000.0))
       ON CONFLICT (rule_id, subject) WHERE state = 'firing' DO NOTHING RETURNING ${COLUMNS}`,
      [randomUUID(), t.householdId, t.ruleId, ruleRow.name, rule.kind, t.subject, t.value, unitOf(rule.kind), thresholdOf(rule), t.startedAtMs],
    );
    if (rows[0] === undefined) return false;
    await enqueue(tx, toAlertView(rows[0]), now());
    return true;
  };

  /** Resolves the household's firing alerts matching `where` ($4 on) and queues their events. */
  const resolve = async (tx: PoolClient, householdId: string, where: string, params: unknown[], atMs: number, value: number | null): Promise<AlertView[]> => {
    const { rows } = await tx.query<AlertRow>(
      `UPDATE alerts.alerts SET state = 'resolved', resolved_at = to_timestamp($1 / 1000.0), resolved_value = $2
        WHERE state = 'firing' AND household_id = $3 AND ${where} RETURNING ${COLUMNS}`,
      [atMs, value, householdId, ...params],
    );
    const resolved = rows.map(toAlertView);
    for (const alert of resolved) await enqueue(tx, alert, now());
    return resolved;
  };

  return {
    list: (householdId, state, limit, beforeMs) =>
      guarded(async () => {
        const { rows } = await pool.query<AlertRow>(
          `SELECT ${COLUMNS} FROM alerts.alerts
            WHERE household_id = $1 AND ($3::text IS NULL OR state = $3) AND ($4::double precision IS NULL OR started_at < to_timestamp($4 / 1000.0))
            ORDER BY started_at DESC, id LIMIT $2`,
          [householdId, limit, state === 'all' ? null : state, beforeMs ?? null],
        );
        return rows.map(toAlertView);
      }),
    open: () =>
      guarded(async () => {
        const { rows } = await pool.query<AlertRow>(`SELECT ${COLUMNS} FROM alerts.alerts WHERE state = 'firing' AND rule_id IS NOT NULL`);
        return rows.map((r) => ({ householdId: r.household_id, ruleId: r.rule_id ?? '', subject: r.subject, startedAtMs: r.started_at.getTime(), value: r.value }));
      }),
    record: (t) =>
      transaction(async (tx) =>
        t.type === 'fired' ? fire(tx, t) : (await resolve(tx, t.householdId, 'rule_id = $4 AND subject = $5', [t.ruleId, t.subject], t.resolvedAtMs ?? now(), t.value)).length > 0,
      ),
    resolveForRule: (tx, householdId, ruleId, atMs) => resolve(tx, householdId, 'rule_id = $4', [ruleId], atMs, null),
    transaction,
  };
}
