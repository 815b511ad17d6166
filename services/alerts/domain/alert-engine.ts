// The evaluation engine: rules and readings in, transitions (fired / resolved) out. No I/O and no
// clock of its own: observe() and tick() are told the time, so tests drive it with a fake clock.
// The engine is the single owner of which alerts are open; the caller persists its transitions.
import type { ReadingContainer } from '../../../proto/container.js';
import { dayKey, HouseholdReadings, type ReadingsSeed } from './household-readings.js';
import { HOUSEHOLD, type AlertRule, type OpenAlert, type Transition } from './rules.js';
import { evaluateRule, type Condition } from './evaluate-rule.js';

export interface AlertEngineOptions {
  /** A device's power reading older than this no longer counts (default 5 min). */
  readonly staleAfterMs?: number;
  /** When the engine started: a device never heard counts as silent since then at the earliest. */
  readonly startedAtMs: number;
}

interface Open {
  readonly householdId: string;
  readonly ruleId: string;
  readonly subject: string;
  readonly startedAtMs: number;
  readonly value: number;
}

interface Household {
  readonly readings: HouseholdReadings;
  rules: readonly AlertRule[];
}

export interface AlertEngine {
  /** Replaces a household's enabled rules; open alerts of removed or changed rules resolve. */
  setHousehold(householdId: string, timeZone: string, rules: readonly AlertRule[], nowMs: number): Transition[];
  /** Forgets a household (no enabled rules left); its open alerts resolve. */
  removeHousehold(householdId: string, nowMs: number): Transition[];
  households(): string[];
  /** Alerts that were open before a restart: they stay open without firing again. */
  restoreOpen(alerts: readonly (OpenAlert & { readonly householdId: string })[]): void;
  seed(householdId: string, seed: ReadingsSeed): void;
  observe(container: ReadingContainer, nowMs: number): Transition[];
  tick(nowMs: number): Transition[];
  /** Rules evaluated since the engine started (a metric). */
  evaluations(): number;
  /** The kind of a loaded rule (metrics label). */
  kindOf(ruleId: string): AlertRule['kind'] | undefined;
}

const keyOf = (ruleId: string, subject: string): string => `${ruleId}\u0000${subject}`;

export function createAlertEngine(options: AlertEngineOptions): AlertEngine {
  const staleAfterMs = options.staleAfterMs ?? 300_000;
  const households = new Map<string, Household>();
  const open = new Map<string, Open>();
  /** Since when a power-above condition holds, per (rule, subject). */
  const holdingSince = new Map<string, number>();
  let evaluated = 0;

  const resolveWhere = (match: (o: Open) => boolean, nowMs: number): Transition[] => {
    const out: Transition[] = [];
    for (const [key, o] of open) {
      if (!match(o)) continue;
      open.delete(key);
      out.push({ type: 'resolved', householdId: o.householdId, ruleId: o.ruleId, subject: o.subject, value: o.value, startedAtMs: o.startedAtMs, resolvedAtMs: nowMs });
    }
    return out;
  };
  const forgetPending = (ruleIds: ReadonlySet<string>): void => {
    for (const key of holdingSince.keys()) if (ruleIds.has(key.slice(0, key.indexOf('\u0000')))) holdingSince.delete(key);
  };

  const apply = (rule: AlertRule, conditions: readonly Condition[], nowMs: number): Transition[] => {
    const out: Transition[] = [];
    for (const c of conditions) {
      const key = keyOf(rule.id, c.subject);
      const current = open.get(key);
      if (current === undefined && c.state === 'holding') {
        const since = holdingSince.get(key) ?? nowMs;
        holdingSince.set(key, since);
        if (nowMs - since < (c.holdForMs ?? 0)) continue;
        holdingSince.delete(key);
        open.set(key, { householdId: rule.householdId, ruleId: rule.id, subject: c.subject, startedAtMs: nowMs, value: c.value });
        out.push({ type: 'fired', householdId: rule.householdId, ruleId: rule.id, subject: c.subject, value: c.value, startedAtMs: nowMs });
      } else if (c.state === 'clear') {
        holdingSince.delete(key);
        if (current === undefined) continue;
        open.delete(key);
        out.push({ type: 'resolved', householdId: rule.householdId, ruleId: rule.id, subject: c.subject, value: c.value, startedAtMs: current.startedAtMs, resolvedAtMs: nowMs });
      }
    }
    return out;
  };

  const evaluateHousehold = (household: Household, nowMs: number): Transition[] =>
    household.rules.flatMap((rule) => {
      evaluated += 1;
      const openSubjects = [...open.values()].filter((o) => o.ruleId === rule.id);
      const conditions = evaluateRule(rule, {
        readings: household.readings,
        nowMs,
        staleAfterMs,
        engineStartedAtMs: options.startedAtMs,
        openSubjects: openSubjects.map((o) => o.subject),
        openDay: (subject) => {
          const o = open.get(keyOf(rule.id, subject));
          return o === undefined ? undefined : dayKey(o.startedAtMs, household.readings.timeZone);
        },
      });
      return apply(rule, conditions, nowMs);
    });

  return {
    setHousehold(householdId, timeZone, rules, nowMs) {
      const existing = households.get(householdId);
      const before = new Map((existing?.rules ?? []).map((r) => [r.id, JSON.stringify(r)]));
      const after = new Map(rules.map((r) => [r.id, JSON.stringify(r)]));
      // A rule that is gone or was edited starts over: its open alerts resolve, nothing is pending.
      const stale = new Set([...before].filter(([id, json]) => after.get(id) !== json).map(([id]) => id));
      forgetPending(stale);
      const out = resolveWhere((o) => o.householdId === householdId && (stale.has(o.ruleId) || !after.has(o.ruleId)), nowMs);
      if (existing === undefined || existing.readings.timeZone !== timeZone) {
        const readings = new HouseholdReadings(timeZone);
        for (const [id, d] of existing?.readings.devices ?? []) readings.devices.set(id, { ...d });
        households.set(householdId, { readings, rules });
      } else {
        existing.rules = rules;
      }
      return out;
    },
    removeHousehold(householdId, nowMs) {
      forgetPending(new Set(households.get(householdId)?.rules.map((r) => r.id)));
      households.delete(householdId);
      return resolveWhere((o) => o.householdId === householdId, nowMs);
    },
    households: () => [...households.keys()],
    restoreOpen(alerts) {
      for (const a of alerts) open.set(keyOf(a.ruleId, a.subject), { householdId: a.householdId, ruleId: a.ruleId, subject: a.subject, startedAtMs: a.startedAtMs, value: a.value });
    },
    seed(householdId, seed) {
      households.get(householdId)?.readings.seed(seed);
    },
    observe(container, nowMs) {
      const household = households.get(container.householdId);
      if (household === undefined) return [];
      for (const m of container.measurements) household.readings.observe(m, nowMs);
      return evaluateHousehold(household, nowMs);
    },
    tick(nowMs) {
      return [...households.values()].flatMap((h) => evaluateHousehold(h, nowMs));
    },
    evaluations: () => evaluated,
    kindOf: (ruleId) => {
      for (const h of households.values()) for (const r of h.rules) if (r.id === ruleId) return r.kind;
      return undefined;
    },
  };
}

export { HOUSEHOLD };
