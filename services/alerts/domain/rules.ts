// What the engine evaluates: a household's enabled rules, as plain data. Subjects name what an
// alert is about: a device id, or HOUSEHOLD for the household as a whole. At most one alert per
// (rule, subject) is open at a time.

export const HOUSEHOLD = '';

interface RuleBase {
  readonly id: string;
  readonly householdId: string;
  /** When the rule was created: a device that was never heard counts as silent since then. */
  readonly createdAtMs: number;
}

export interface PowerAboveRule extends RuleBase {
  readonly kind: 'power-above';
  readonly deviceId?: string;
  readonly thresholdW: number;
  readonly forSeconds: number;
}

export interface DeviceSilentRule extends RuleBase {
  readonly kind: 'device-silent';
  readonly deviceId?: string;
  readonly silentSeconds: number;
}

export interface DailyEnergyAboveRule extends RuleBase {
  readonly kind: 'daily-energy-above';
  readonly thresholdKwh: number;
}

export type AlertRule = PowerAboveRule | DeviceSilentRule | DailyEnergyAboveRule;

export interface Transition {
  readonly type: 'fired' | 'resolved';
  readonly householdId: string;
  readonly ruleId: string;
  /** A device id, or HOUSEHOLD. */
  readonly subject: string;
  /** W, seconds of silence, or kWh: the value at this transition. */
  readonly value: number;
  readonly startedAtMs: number;
  /** Set on 'resolved'. */
  readonly resolvedAtMs?: number;
}

/** An alert that was firing when the service stopped (PostgreSQL), handed back at start. */
export interface OpenAlert {
  readonly ruleId: string;
  readonly subject: string;
  readonly startedAtMs: number;
  readonly value: number;
}

export function unitOf(kind: AlertRule['kind']): 'W' | 's' | 'kWh' {
  return kind === 'power-above' ? 'W' : kind === 'device-silent' ? 's' : 'kWh';
}

export function thresholdOf(rule: AlertRule): number {
  return rule.kind === 'power-above' ? rule.thresholdW : rule.kind === 'device-silent' ? rule.silentSeconds : rule.thresholdKwh;
}
