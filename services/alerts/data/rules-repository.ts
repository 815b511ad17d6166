// Rules in alerts.rules: the API's CRUD and the evaluator's "every enabled rule with its household's
// time zone" (from the auth service's households table).
import { randomUUID } from 'node:crypto';
import type { Pool, PoolClient } from 'pg';
import { isKnownTimeZone } from '../../../lib/tariff/tariff.js';
import type { AlertRule } from '../domain/rules.js';
import type { RuleInput, RuleView } from '../http/schemas.js';
import { guarded } from './store-errors.js';

interface RuleRow {
  id: string;
  household_id: string;
  name: string;
  kind: RuleInput['kind'];
  enabled: boolean;
  params: Record<string, unknown>;
  created_at: Date;
  updated_at: Date;
}

export interface EnabledRules {
  readonly householdId: string;
  readonly timeZone: string;
  readonly rules: readonly AlertRule[];
}

export interface RulesRepository {
  list(householdId: string): Promise<RuleView[]>;
  get(householdId: string, ruleId: string): Promise<RuleView | undefined>;
  /** undefined when the household already has `maxRules` rules. */
  create(householdId: string, input: RuleInput, maxRules: number): Promise<RuleView | undefined>;
  /** Replaces the rule inside `tx` (the caller resolves its open alerts in the same transaction). */
  replace(tx: PoolClient, householdId: string, ruleId: string, input: RuleInput): Promise<RuleView | undefined>;
  remove(tx: PoolClient, householdId: string, ruleId: string): Promise<boolean>;
  /** Every enabled rule, grouped by household, with the household's time zone. */
  enabled(): Promise<EnabledRules[]>;
}

const COLUMNS = 'id, household_id, name, kind, enabled, params, created_at, updated_at';

function paramsOf(input: RuleInput): Record<string, unknown> {
  const { kind: _kind, name: _name, enabled: _enabled, ...params } = input;
  return params;
}

export function toView(row: RuleRow): RuleView {
  return {
    ...row.params,
    kind: row.kind,
    id: row.id,
    householdId: row.household_id,
    name: row.name,
    enabled: row.enabled,
    createdAt: row.created_at.toISOString(),
    updatedAt: row.updated_at.toISOString(),
  } as RuleView;
}

export function toEngineRule(view: RuleView): AlertRule {
  const base = { id: view.id, householdId: view.householdId, createdAtMs: Date.parse(view.createdAt) };
  switch (view.kind) {
    case 'power-above':
      return { ...base, kind: view.kind, thresholdW: view.thresholdW, forSeconds: view.forSeconds, ...(view.deviceId === undefined ? {} : { deviceId: view.deviceId }) };
    case 'device-silent':
      return { ...base, kind: view.kind, silentSeconds: view.silentSeconds, ...(view.deviceId === undefined ? {} : { deviceId: view.deviceId }) };
    case 'daily-energy-above':
      return { ...base, kind: view.kind, thresholdKwh: view.thresholdKwh };
  }
}

export function createRulesRepository(pool: Pool): RulesRepository {
  return {
    list: (householdId) =>
      guarded(async () => (await pool.query<RuleRow>(`SELECT ${COLUMNS} FROM alerts.rules WHERE household_id = $1 ORDER BY created_at, id`, [householdId])).rows.map(toView)),
    get: (householdId, ruleId) =>
      guarded(async () => {
        const { rows } = await pool.query<RuleRow>(`SELECT ${COLUMNS} FROM alerts.rules WHERE household_id = $1 AND id = $2`, [householdId, ruleId]);
        return rows[0] === undefined ? undefined : toView(rows[0]);
      }),
    create: (householdId, input, maxRules) =>
      guarded(async () => {
        const { rows } = await pool.query<RuleRow>(
          `INSERT INTO alerts.rules (id, household_id, name, kind, enabled, params)
           SELECT $1, $2, $3, $4, $5, $6 WHERE (SELECT count(*) FROM alerts.rules WHERE household_id = $2) < $7
           RETURNING ${COLUMNS}`,
          [randomUUID(), householdId, input.name, input.kind, input.enabled, JSON.stringify(paramsOf(input)), maxRules],
        );
        return rows[0] === undefined ? undefined : toView(rows[0]);
      }),
    async replace(tx, householdId, ruleId, input) {
      const { rows } = await tx.query<RuleRow>(
        `UPDATE alerts.rules SET name = $3, kind = $4, enabled = $5, params = $6, updated_at = now() WHERE household_id = $1 AND id = $2 RETURNING ${COLUMNS}`,
        [householdId, ruleId, input.name, input.kind, input.enabled, JSON.stringify(paramsOf(input))],
      );
      return rows[0] === undefined ? undefined : toView(rows[0]);
    },
    async remove(tx, householdId, ruleId) {
      const { rowCount } = await tx.query('DELETE FROM alerts.rules WHERE household_id = $1 AND id = $2', [householdId, ruleId]);
      return (rowCount ?? 0) > 0;
    },
    enabled: () =>
      guarded(async () => {
        const { rows } = await pool.query<RuleRow & { time_zone: string | null }>(
          `SELECT r.id, r.household_id, r.name, r.kind, r.enabled, r.params, r.created_at, r.updated_at, h.time_zone
             FROM alerts.rules r LEFT JOIN households h ON h.id = r.household_id
            WHERE r.enabled ORDER BY r.household_id, r.created_at`,
        );
        const byHousehold = new Map<string, { timeZone: string; rules: AlertRule[] }>();
        for (const row of rows) {
          const timeZone = row.time_zone !== null && isKnownTimeZone(row.time_zone) ? row.time_zone : 'UTC';
          const entry = byHousehold.get(row.household_id) ?? { timeZone, rules: [] };
          entry.rules.push(toEngineRule(toView(row)));
          byHousehold.set(row.household_id, entry);
        }
        return [...byHousehold].map(([householdId, e]) => ({ householdId, ...e }));
      }),
  };
}
