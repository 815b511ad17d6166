// Adding or editing one rule: its kind, name, device, threshold and minutes. Checked here first;
// what the alerts service still refuses (400) is shown next to the field it names.
import { useId, useState, type FormEvent, type ReactNode } from 'react';
import { ApiError, messageOf } from '../api/api-error';
import type { AlertRule, AlertRuleInput, AlertRuleKind } from '../api/alerts-types';
import { emptyRuleForm, fieldErrorsOfApiMessage, formOfRule, RULE_KIND_LABELS, ruleInputOf, type FieldErrors, type RuleField, type RuleForm } from './alerts-form-model';

export interface RuleFormProps {
  /** The rule being edited; undefined = a new rule. */
  rule?: AlertRule;
  /** Device ids of the household, for the device choice. */
  devices: readonly string[];
  devicesError?: string;
  onSave: (input: AlertRuleInput) => Promise<void>;
  onCancel?: () => void;
}

const KINDS: AlertRuleKind[] = ['power-above', 'device-silent', 'daily-energy-above'];

export function RuleFormCard({ rule, devices, devicesError, onSave, onCancel }: RuleFormProps): ReactNode {
  const id = useId();
  const [form, setForm] = useState<RuleForm>(() => (rule === undefined ? emptyRuleForm('power-above') : formOfRule(rule)));
  const [errors, setErrors] = useState<FieldErrors>({});
  const [general, setGeneral] = useState<string | undefined>();
  const [busy, setBusy] = useState(false);
  const [added, setAdded] = useState(false);
  const change = (patch: Partial<RuleForm>): void => setForm((f) => ({ ...f, ...patch }));
  // The device list plus the rule's own device, should it have gone from the household since.
  const deviceChoices = form.deviceId !== '' && !devices.includes(form.deviceId) ? [...devices, form.deviceId] : devices;

  const submit = async (event: FormEvent): Promise<void> => {
    event.preventDefault();
    setAdded(false);
    setGeneral(undefined);
    const checked = ruleInputOf(form);
    if ('errors' in checked) {
      setErrors(checked.errors);
      setGeneral('Please correct the marked fields.');
      return;
    }
    setErrors({});
    setBusy(true);
    try {
      await onSave(checked.input);
      if (rule === undefined) {
        setForm(emptyRuleForm(form.kind));
        setAdded(true);
      }
    } catch (err) {
      if (err instanceof ApiError && err.status === 400) {
        const { fields, rest } = fieldErrorsOfApiMessage(err.message);
        setErrors(fields);
        setGeneral(rest.length > 0 ? `The alerts service refused the rule: ${rest.join('; ')}` : 'The alerts service refused the marked fields.');
      } else setGeneral(messageOf(err));
    } finally {
      setBusy(false);
    }
  };

  const field = (name: RuleField, label: string, input: (props: { id: string; 'aria-invalid': boolean; 'aria-describedby'?: string }) => ReactNode, hint?: string): ReactNode => {
    const error = errors[name];
    const hintId = hint === undefined ? undefined : `${id}-${name}-hint`;
    const describedBy = [error === undefined ? undefined : `${id}-${name}-error`, hintId].filter(Boolean).join(' ') || undefined;
    return (
      <div className="field">
        <label htmlFor={`${id}-${name}`}>{label}</label>
        {input({ id: `${id}-${name}`, 'aria-invalid': error !== undefined, 'aria-describedby': describedBy })}
        {hint !== undefined && (
          <span id={hintId} className="hint">
            {hint}
          </span>
        )}
        {error !== undefined && (
          <span id={`${id}-${name}-error`} className="form-error">
            {error}
          </span>
        )}
      </div>
    );
  };

  const title = rule === undefined ? 'Add a rule' : `Edit “${rule.name}”`;
  return (
    <form onSubmit={(e) => void submit(e)} noValidate aria-label={title} className="rule-form">
      <fieldset disabled={busy} className="plain">
        {rule === undefined && (
          <div className="segmented" role="group" aria-label="Kind of rule">
            {KINDS.map((kind) => (
              <button key={kind} type="button" aria-pressed={form.kind === kind} onClick={() => setForm((f) => ({ ...emptyRuleForm(kind), enabled: f.enabled }))}>
                {RULE_KIND_LABELS[kind]}
              </button>
            ))}
          </div>
        )}
        {field('name', 'Name', (p) => <input {...p} maxLength={100} value={form.name} onChange={(e) => change({ name: e.target.value })} />)}
        <div className="band">
          {form.kind !== 'daily-energy-above' &&
            field('deviceId', 'Device', (p) => (
              <select {...p} value={form.deviceId} onChange={(e) => change({ deviceId: e.target.value })}>
                <option value="">{form.kind === 'power-above' ? 'Household total' : 'Any device'}</option>
                {deviceChoices.map((device) => (
                  <option key={device} value={device}>
                    {device}
                  </option>
                ))}
              </select>
            ), devicesError === undefined ? undefined : `Devices could not be loaded: ${devicesError}`)}
          {form.kind !== 'device-silent' &&
            field('threshold', form.kind === 'power-above' ? 'Above (W)' : 'Above (kWh per day)', (p) => (
              <input {...p} type="number" inputMode="decimal" min={0} step="any" value={form.threshold} onChange={(e) => change({ threshold: e.target.value })} />
            ))}
          {form.kind !== 'daily-energy-above' &&
            field('minutes', form.kind === 'power-above' ? 'For (minutes)' : 'Silent for (minutes)', (p) => (
              <input {...p} type="number" inputMode="decimal" min={0} step="any" value={form.minutes} onChange={(e) => change({ minutes: e.target.value })} />
            ))}
        </div>
        <label className="field inline">
          <input type="checkbox" checked={form.enabled} onChange={(e) => change({ enabled: e.target.checked })} />
          <span>Enabled</span>
        </label>
        <p className="actions">
          <button type="submit" className="button primary">
            {rule === undefined ? 'Add rule' : 'Save rule'}
          </button>
          {onCancel !== undefined && (
            <button type="button" className="button secondary" onClick={onCancel}>
              Cancel
            </button>
          )}
        </p>
      </fieldset>
      {general !== undefined ? (
        <p className="form-error" role="alert">
          {general}
        </p>
      ) : (
        <p className="hint" role="status">
          {added ? 'Rule added.' : ''}
        </p>
      )}
    </form>
  );
}
