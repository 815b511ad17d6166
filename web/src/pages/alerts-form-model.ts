// The rule form's values and their checks, apart from React: the form speaks minutes and text
// fields, the alerts API seconds and numbers. Also how rules and alerts read in a sentence.
import type { Alert, AlertRule, AlertRuleInput, AlertRuleKind } from '../api/alerts-types';
import { formatEnergy, formatPower } from '../lib/format';

export const RULE_KIND_LABELS: Record<AlertRuleKind, string> = {
  'power-above': 'Power above',
  'device-silent': 'Device silent',
  'daily-energy-above': 'Daily energy above',
};

/** The API's longest wait (7 days), in seconds. */
const MAX_SECONDS = 7 * 86_400;

export interface RuleForm {
  kind: AlertRuleKind;
  name: string;
  enabled: boolean;
  /** '' = the household's total (power-above) or any device (device-silent). */
  deviceId: string;
  /** Watts for power-above, kWh for daily-energy-above. */
  threshold: string;
  /** How long power stays above, or how long a device is silent. */
  minutes: string;
}

export type RuleField = 'name' | 'deviceId' | 'threshold' | 'minutes';
export type FieldErrors = Partial<Record<RuleField, string>>;

export function emptyRuleForm(kind: AlertRuleKind): RuleForm {
  const defaults: Record<AlertRuleKind, Pick<RuleForm, 'name' | 'threshold' | 'minutes'>> = {
    'power-above': { name: 'High power', threshold: '3000', minutes: '10' },
    'device-silent': { name: 'Device silent', threshold: '', minutes: '15' },
    'daily-energy-above': { name: 'Big day', threshold: '20', minutes: '' },
  };
  return { kind, enabled: true, deviceId: '', ...defaults[kind] };
}

/** Seconds as the form shows them: minutes, at most two decimals (90 s → "1.5"). */
export function secondsToMinutes(seconds: number): string {
  return String(Math.round((seconds / 60) * 100) / 100);
}

/** Minutes typed in the form as whole seconds (the API's unit); NaN when it is not a number. */
export function minutesToSeconds(minutes: string): number {
  const value = Number(minutes.trim().replace(',', '.'));
  return minutes.trim() === '' || !Number.isFinite(value) ? Number.NaN : Math.round(value * 60);
}

export function formOfRule(rule: AlertRule): RuleForm {
  const common = { kind: rule.kind, name: rule.name, enabled: rule.enabled };
  if (rule.kind === 'power-above') return { ...common, deviceId: rule.deviceId ?? '', threshold: String(rule.thresholdW), minutes: secondsToMinutes(rule.forSeconds) };
  if (rule.kind === 'device-silent') return { ...common, deviceId: rule.deviceId ?? '', threshold: '', minutes: secondsToMinutes(rule.silentSeconds) };
  return { ...common, deviceId: '', threshold: String(rule.thresholdKwh), minutes: '' };
}

function checkThreshold(text: string, unit: 'W' | 'kWh', max: number): string | undefined {
  const value = Number(text.trim().replace(',', '.'));
  if (text.trim() === '' || !Number.isFinite(value)) return `Enter a number of ${unit}.`;
  if (value <= 0) return `The threshold must be more than 0 ${unit}.`;
  if (value > max) return `The threshold can be at most ${max.toLocaleString('en')} ${unit}.`;
  return undefined;
}

function checkMinutes(text: string): string | undefined {
  const seconds = minutesToSeconds(text);
  if (Number.isNaN(seconds)) return 'Enter a number of minutes.';
  if (seconds < 1) return 'Enter at least 1 second (0.02 minutes).';
  if (seconds > MAX_SECONDS) return 'At most 7 days (10080 minutes).';
  return undefined;
}

/** The API body for the form, or what is wrong with it, field by field. */
export function ruleInputOf(form: RuleForm): { input: AlertRuleInput } | { errors: FieldErrors } {
  const errors: FieldErrors = {};
  const name = form.name.trim();
  if (name === '') errors.name = 'Give the rule a name.';
  else if (name.length > 100) errors.name = 'At most 100 characters.';
  if (form.kind !== 'device-silent') errors.threshold = form.kind === 'power-above' ? checkThreshold(form.threshold, 'W', 1_000_000) : checkThreshold(form.threshold, 'kWh', 100_000);
  if (form.kind !== 'daily-energy-above') errors.minutes = checkMinutes(form.minutes);
  const found = Object.fromEntries(Object.entries(errors).filter(([, message]) => message !== undefined)) as FieldErrors;
  if (Object.keys(found).length > 0) return { errors: found };

  const device = form.deviceId === '' ? {} : { deviceId: form.deviceId };
  const threshold = Number(form.threshold.trim().replace(',', '.'));
  if (form.kind === 'power-above') return { input: { kind: form.kind, name, enabled: form.enabled, ...device, thresholdW: threshold, forSeconds: minutesToSeconds(form.minutes) } };
  if (form.kind === 'device-silent') return { input: { kind: form.kind, name, enabled: form.enabled, ...device, silentSeconds: minutesToSeconds(form.minutes) } };
  return { input: { kind: form.kind, name, enabled: form.enabled, thresholdKwh: threshold } };
}

const API_FIELDS: Record<string, RuleField> = { name: 'name', deviceId: 'deviceId', thresholdW: 'threshold', thresholdKwh: 'threshold', forSeconds: 'minutes', silentSeconds: 'minutes' };

/**
 * The alerts API's 400 message ("body.thresholdW: Too big: expected number to be <=1000000; body.name: …")
 * split onto the form's fields; what names no field stays in `rest`.
 */
export function fieldErrorsOfApiMessage(message: string): { fields: FieldErrors; rest: string[] } {
  const fields: FieldErrors = {};
  const rest: string[] = [];
  for (const part of message.split('; ')) {
    const match = /^body\.(\w+): (.+)$/.exec(part);
    const field = match === null ? undefined : API_FIELDS[match[1] ?? ''];
    if (match === null || field === undefined) rest.push(part);
    else fields[field] = field === 'minutes' ? `${match[2] ?? ''} (the service counts seconds)` : (match[2] ?? '');
  }
  return { fields, rest };
}

function minutesText(seconds: number): string {
  const minutes = secondsToMinutes(seconds);
  return minutes === '1' ? '1 minute' : `${minutes} minutes`;
}

/** "Above 2.00 kW for 10 minutes on oven" — the rule's condition in words. */
export function describeRule(rule: AlertRule): string {
  if (rule.kind === 'power-above') return `Above ${formatPower(rule.thresholdW)} for ${minutesText(rule.forSeconds)}, ${rule.deviceId === undefined ? 'household total' : `device ${rule.deviceId}`}`;
  if (rule.kind === 'device-silent') return `No readings for ${minutesText(rule.silentSeconds)} from ${rule.deviceId === undefined ? 'any device' : `device ${rule.deviceId}`}`;
  return `More than ${formatEnergy(rule.thresholdKwh)} in a day`;
}

/** An alert's value (or threshold) in its unit: W as power, s as minutes, kWh as energy. */
export function formatAlertValue(value: number, unit: Alert['unit']): string {
  if (unit === 'W') return formatPower(value);
  if (unit === 'kWh') return formatEnergy(value);
  return minutesText(value);
}

/** The rule as the API takes it back (PUT replaces), with `enabled` switched as asked. */
export function inputOfRule(rule: AlertRule, enabled: boolean): AlertRuleInput {
  const { kind, name } = rule;
  if (kind === 'daily-energy-above') return { kind, name, enabled, thresholdKwh: rule.thresholdKwh };
  const device = rule.deviceId === undefined ? {} : { deviceId: rule.deviceId };
  if (kind === 'power-above') return { kind, name, enabled, ...device, thresholdW: rule.thresholdW, forSeconds: rule.forSeconds };
  return { kind, name, enabled, ...device, silentSeconds: rule.silentSeconds };
}
