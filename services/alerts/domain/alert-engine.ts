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
  /** When the engine started: silence counts from then at the earliest. */
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
  timeZoneOf(householdId: string): string | undefined;
  /** Alerts that were open before a restart: they stay open without firing again. */
  restoreOpen(alerts: readonly (OpenAlert & { readonly householdId: string })[]): void;
  seed(householdId: string, seed: ReadingsSeed): void;
  observe(container: ReadingContainer, nowMs: number): Transition[];
  tick(nowMs: number): Transition[];
  /** The live feed is back after an outage: silence counts from `nowMs` at the earliest. */
  feedResumed(nowMs: number): void;
  /** Rules evaluated since the engine started (a metric). */
  evaluations(): number;
  /** The kind of a loaded rule (metrics label). */
  kindOf(ruleId: string): AlertRule['kind'] | undefined;
}

export function createAlertEngine(options: AlertEngineOptions): AlertEngine {
  const staleAfterMs = options.staleAfterMs ?? 300_000;
  const households = new Map<string, Household>();
  /** Open alerts per rule, then per subject: a rule's own alerts are found without a scan. */
  const open = new Map<string, Map<string, Open>>();
  /** Since when a power-above condition holds, per rule and subject. */
  const holdingSince = new Map<string, Map<string, number>>();
  let evaluated = 0;
  let feedResumedAtMs = -Infinity;

  const inner = <V>(map: Map<string, Map<string, V>>, ruleId: string): Map<string, V> => {
    let m = map.get(ruleId);
    if (m === undefined) {
      m = new Map();
      map.set(ruleId, m);
    }
    return m;
  };

  /** Resolves every open alert of these rules and forgets their pending conditions. */
  const resetRules = (ruleIds: Iterable<string>, nowMs: number): Transition[] => {
    const out: Transition[] = [];
    for (const ruleId of ruleIds) {
      holdingSince.delete(ruleId);
      for (const o of open.get(ruleId)?.values() ?? []) {
        out.push({ type: 'resolved', householdId: o.householdId, ruleId, subject: o.subject, value: o.value, startedAtMs: o.startedAtMs, resolvedAtMs: nowMs });
      }
      open.delete(ruleId);
    }
    return out;
  };

  const apply = (rule: AlertRule, conditions: readonly Condition[], nowMs: number): Transition[] => {
    const out: Transition[] = [];
    const opened = inner(open, rule.id);
    const pending = inner(holdingSince, rule.id);
    for (const c of conditions) {
      const current = opened.get(c.subject);
      if (current === undefined && c.state === 'holding') {
        const since = pending.get(c.subject) ?? nowMs;
        pending.set(c.subject, since);
        if (nowMs - since < (c.holdForMs ?? 0)) continue;
        pending.delete(c.subject);
        opened.set(c.subject, { householdId: rule.householdId, ruleId: rule.id, subject: c.subject, startedAtMs: nowMs, value: c.value });
        out.push({ type: 'fired', householdId: rule.householdId, ruleId: rule.id, subject: c.subject, value: c.value, startedAtMs: nowMs });
      } else if (c.state === 'clear') {
        pending.delete(c.subject);
        if (current === undefined) continue;
        opened.delete(c.subject);
        out.push({ type: 'resolved', householdId: rule.householdId, ruleId: rule.id, subject: c.subject, value: c.value, startedAtMs: current.startedAtMs, resolvedAtMs: nowMs });
      }
    }
    return out;
  };

  const evaluateHousehold = (household: Household, nowMs: number): Transition[] =>
    household.rules.flatMap((rule) => {
      evaluated += 1;
      const opened = open.get(rule.id);
      const conditions = evaluateRule(rule, {
        readings: household.readings,
        nowMs,
        staleAfterMs,
        engineStartedAtMs: options.startedAtMs,
        feedResumedAtMs,
        openSubjects: opened === undefined ? [] : [...opened.keys()],
        openDay: (subject) => {
          const o = opened?.get(subject);
          return o === undefined ? undefined : dayKey(o.startedAtMs, household.readings.timeZone);
        },
      });
      return apply(rule, conditions, nowMs);
    });

  return {
    setHousehold(householdId, timeZone, rules, nowMs) {
      const existing = households.get(householdId);
      const after = new Map(rules.map((r) => [r.id, JSON.stringify(r)]));
      // A rule that is gone or was edited starts over: its open alerts resolve, nothing is pending.
      const changed = (existing?.rules ?? []).filter((r) => after.get(r.id) !== JSON.stringify(r)).map((r) => r.id);
      const out = resetRules(changed, nowMs);
      if (existing === undefined || existing.readings.timeZone !== timeZone) {
        const readings = existing?.readings.inTimeZone(timeZone) ?? new HouseholdReadings(timeZone);
        households.set(householdId, { readings, rules });
      } else {
        existing.rules = rules;
      }
      return out;
    },
    removeHousehold(householdId, nowMs) {
      const rules = households.get(householdId)?.rules ?? [];
      households.delete(householdId);
      return resetRules(rules.map((r) => r.id), nowMs);
    },
    households: () => [...households.keys()],
    timeZoneOf: (householdId) => households.get(householdId)?.readings.timeZone,
    restoreOpen(alerts) {
      for (const a of alerts) inner(open, a.ruleId).set(a.subject, { householdId: a.householdId, ruleId: a.ruleId, subject: a.subject, startedAtMs: a.startedAtMs, value: a.value });
    },
    seed(householdId, seed) {
      households.get(householdId)?.readings.seed(seed);
    },
    observe(container, nowMs) {
      const household = households.get(container.householdId);
      if (household === undefined) return [];
      for (const m of container.measurements) household.readings.observe(m, nowMs, container.agentId);
      return evaluateHousehold(household, nowMs);
    },
    tick(nowMs) {
      return [...households.values()].flatMap((h) => evaluateHousehold(h, nowMs));
    },
    feedResumed(nowMs) {
      feedResumedAtMs = Math.max(feedResumedAtMs, nowMs);
    },
    evaluations: () => evaluated,
    kindOf: (ruleId) => {
      for (const h of households.values()) for (const r of h.rules) if (r.id === ruleId) return r.kind;
      return undefined;
    },
  };
}

export { HOUSEHOLD };
