// One rule against a household's readings at one instant: per subject, whether its condition
// holds, is clear, or cannot be told (no data). The engine turns these into fired/resolved.
import { dayKey, type HouseholdReadings } from './household-readings.js';
import { HOUSEHOLD, type AlertRule, type DailyEnergyAboveRule, type DeviceSilentRule, type PowerAboveRule } from './rules.js';

export interface Condition {
  readonly subject: string;
  /** 'unknown' changes nothing: an open alert stays open, a pending one keeps waiting. */
  readonly state: 'holding' | 'clear' | 'unknown';
  readonly value: number;
  /** How long it must hold before the alert fires (power-above). */
  readonly holdForMs?: number;
}

export interface EvaluationInput {
  readonly readings: HouseholdReadings;
  readonly nowMs: number;
  readonly staleAfterMs: number;
  readonly engineStartedAtMs: number;
  /** The end of the last live-feed outage (-Infinity if none): silence counts from here at the earliest. */
  readonly feedResumedAtMs: number;
  /** Subjects of this rule's open alerts. */
  readonly openSubjects: readonly string[];
  /** Local day on which this rule's open alert for `subject` fired. */
  readonly openDay: (subject: string) => string | undefined;
}

export function evaluateRule(rule: AlertRule, input: EvaluationInput): Condition[] {
  switch (rule.kind) {
    case 'power-above':
      return [powerAbove(rule, input)];
    case 'device-silent':
      return deviceSilent(rule, input);
    case 'daily-energy-above':
      return [dailyEnergy(rule, input)];
  }
}

function powerAbove(rule: PowerAboveRule, input: EvaluationInput): Condition {
  const subject = rule.deviceId ?? HOUSEHOLD;
  // Devices whose readings went stale drop out of the sum; with none fresh nothing is known.
  const watts = input.readings.powerW(rule.deviceId, input.nowMs, input.staleAfterMs);
  if (watts === undefined) return { subject, state: 'unknown', value: 0 };
  return watts > rule.thresholdW ? { subject, state: 'holding', value: watts, holdForMs: rule.forSeconds * 1000 } : { subject, state: 'clear', value: watts };
}

function deviceSilent(rule: DeviceSilentRule, input: EvaluationInput): Condition[] {
  const subjects = new Set(rule.deviceId !== undefined ? [rule.deviceId] : [...input.readings.deviceIds(), ...input.openSubjects]);
  const limitMs = rule.silentSeconds * 1000;
  return [...subjects].map((subject): Condition => {
    // A device id is silent when no agent sent it: the latest of its series counts.
    const lastSeenMs = input.readings.lastSeenMs(subject);
    if (lastSeenMs === undefined) {
      // Never heard (since the rule exists and the service runs): silent once the limit passed,
      // but only data arriving can clear it.
      const silentMs = input.nowMs - Math.max(rule.createdAtMs, input.engineStartedAtMs, input.feedResumedAtMs);
      return { subject, state: silentMs >= limitMs ? 'holding' : 'unknown', value: Math.floor(silentMs / 1000) };
    }
    const silentMs = input.nowMs - lastSeenMs;
    const value = Math.max(0, Math.floor(silentMs / 1000));
    // A feed outage (broker down: agents could not send either) is not the device's silence: it
    // counts from the reconnect at the earliest. (A restart of this service is covered by the
    // warm start: InfluxDB saw what arrived meanwhile.) Only data clears an open alert.
    if (input.nowMs - Math.max(lastSeenMs, input.feedResumedAtMs) >= limitMs) return { subject, state: 'holding', value };
    return { subject, state: silentMs < limitMs ? 'clear' : 'unknown', value };
  });
}

function dailyEnergy(rule: DailyEnergyAboveRule, input: EvaluationInput): Condition {
  const kwh = input.readings.dayWh(input.nowMs) / 1000;
  const today = dayKey(input.nowMs, input.readings.timeZone);
  const firedOn = input.openDay(HOUSEHOLD);
  // Fired today: stays open until local midnight even if a counter correction lowers the sum.
  if (firedOn === today) return { subject: HOUSEHOLD, state: 'holding', value: kwh };
  // A new local day: resolve, reporting the energy the day it fired on ended with (when known).
  if (firedOn !== undefined) return { subject: HOUSEHOLD, state: 'clear', value: (input.readings.whOf(firedOn) ?? kwh * 1000) / 1000 };
  return { subject: HOUSEHOLD, state: kwh > rule.thresholdKwh ? 'holding' : 'clear', value: kwh };
}
