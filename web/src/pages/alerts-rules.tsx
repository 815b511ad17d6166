// The household's alert rules: switch on and off, edit, delete, and the form to add one. The device
// choice comes from the read service's device list (the one the Devices page shows).
import { useState, type ReactNode } from 'react';
import { createRule, deleteRule, listRules, replaceRule } from '../api/alerts';
import { messageOf } from '../api/api-error';
import type { AlertRule } from '../api/alerts-types';
import type { DevicesAnswer } from '../api/types';
import { useApp } from '../app-context';
import { Empty, ErrorState, Loading, RefreshFailed } from '../components/status';
import { useReportAlertsUnavailable } from '../hooks/use-alerts-unavailable';
import { useAsync } from '../hooks/use-async';
import { useCanChange } from '../hooks/use-can-change';
import { describeRule, inputOfRule, RULE_KIND_LABELS } from './alerts-form-model';
import { RuleFormCard } from './alerts-rule-form';

interface RulesView {
  rules: AlertRule[];
  devices: string[];
  devicesError: string | undefined;
}

/** `onChanged` runs after every change: the alert list re-reads (edited and deleted rules resolve). */
export function AlertRules({ onChanged, onUnavailable }: { onChanged: () => void; onUnavailable?: () => void }): ReactNode {
  const { client, household } = useApp();
  const canChange = useCanChange();
  const { state, reload } = useAsync<RulesView>(
    async (signal) => {
      // The device list is for the form, which only those who may change rules get.
      if (!canChange) return { rules: await listRules(client, household.id, signal), devices: [], devicesError: undefined };
      const devicesPath = `/v1/households/${encodeURIComponent(household.id)}/devices`;
      const [rules, devices] = await Promise.all([
        listRules(client, household.id, signal),
        client.json<DevicesAnswer>('/api/read', devicesPath, { signal }).then(
          (answer) => ({ ids: [...new Set(answer.agents.flatMap((agent) => agent.devices.map((device) => device.id)))].sort(), error: undefined }),
          (err: unknown) => ({ ids: [], error: messageOf(err) }),
        ),
      ]);
      return { rules, devices: devices.ids, devicesError: devices.error };
    },
    [client, household.id, canChange],
  );
  useReportAlertsUnavailable(state, onUnavailable);
  const changed = (): void => {
    reload();
    onChanged();
  };

  return (
    <section className="card" aria-labelledby="rules-title">
      <h2 id="rules-title" className="card-title">
        Rules
      </h2>
      {state.status === 'loading' && <Loading label="Loading rules…" />}
      {state.status === 'error' && <ErrorState error={state.error} onRetry={reload} />}
      {state.status === 'ok' && <RefreshFailed error={state.refreshError} onRetry={reload} />}
      {state.status === 'ok' && (
        <>
          {state.data.rules.length === 0 ? (
            <Empty>{canChange ? 'No rules yet. Add one below to be told when something in the house is wrong.' : 'No rules yet.'}</Empty>
          ) : (
            <ul className="rule-list" aria-label="Alert rules">
              {state.data.rules.map((rule) => (
                // A saved change re-mounts the item: the switch shows the stored state again.
                <RuleItem key={`${rule.id}:${rule.updatedAt}`} rule={rule} devices={state.data.devices} onChanged={changed} canChange={canChange} />
              ))}
            </ul>
          )}
          {canChange && (
            <>
              <h3 className="subhead">Add a rule</h3>
              <RuleFormCard
                devices={state.data.devices}
                devicesError={state.data.devicesError}
                onSave={async (input) => {
                  await createRule(client, household.id, input);
                  changed();
                }}
              />
            </>
          )}
        </>
      )}
    </section>
  );
}

/** `canChange`: the switch, Edit and Delete (owners and admins; members only read the rule). */
function RuleItem({ rule, devices, onChanged, canChange }: { rule: AlertRule; devices: string[]; onChanged: () => void; canChange: boolean }): ReactNode {
  const { client, household } = useApp();
  const [mode, setMode] = useState<'view' | 'edit' | 'confirm-delete'>('view');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | undefined>();
  // The switch moves at once; it falls back to the rule's state if saving fails.
  const [switching, setSwitching] = useState<boolean | undefined>();

  const act = async (action: () => Promise<unknown>): Promise<void> => {
    setBusy(true);
    setError(undefined);
    try {
      await action();
      onChanged();
    } catch (err) {
      setError(messageOf(err));
      setSwitching(undefined);
    } finally {
      setBusy(false);
    }
  };
  const enabled = switching ?? rule.enabled;
  const switchTo = (on: boolean): void => {
    setSwitching(on);
    void act(() => replaceRule(client, household.id, rule.id, inputOfRule(rule, on)));
  };

  if (mode === 'edit') {
    return (
      <li className="rule-item">
        <RuleFormCard
          rule={rule}
          devices={devices}
          onCancel={() => setMode('view')}
          onSave={async (input) => {
            await replaceRule(client, household.id, rule.id, input);
            setMode('view');
            onChanged();
          }}
        />
      </li>
    );
  }
  return (
    <li className="rule-item">
      <div className="alert-head">
        <strong className="alert-name">{rule.name}</strong>
        <span className={rule.enabled ? 'badge ok' : 'badge off'}>{rule.enabled ? 'On' : 'Off'}</span>
      </div>
      <p className="meta">
        {RULE_KIND_LABELS[rule.kind]}: {describeRule(rule)}
      </p>
      {canChange && (
        <div className="actions">
          <label className="field inline">
            <input
              type="checkbox"
              aria-label={`Enabled: ${rule.name}`}
              checked={enabled}
              disabled={busy}
              onChange={(e) => switchTo(e.target.checked)}
            />
            <span>Enabled</span>
          </label>
          {mode === 'view' ? (
            <>
              <button type="button" className="button secondary small" onClick={() => setMode('edit')} disabled={busy} aria-label={`Edit ${rule.name}`}>
                Edit
              </button>
              <button type="button" className="button danger small" onClick={() => setMode('confirm-delete')} disabled={busy} aria-label={`Delete ${rule.name}`}>
                Delete
              </button>
            </>
          ) : (
            <span role="group" aria-label={`Delete ${rule.name}?`} className="actions">
              <span>Delete this rule?</span>
              <button type="button" className="button danger small" disabled={busy} onClick={() => void act(() => deleteRule(client, household.id, rule.id))}>
                Yes, delete
              </button>
              <button type="button" className="button secondary small" disabled={busy} onClick={() => setMode('view')}>
                Keep it
              </button>
            </span>
          )}
        </div>
      )}
      {error !== undefined && (
        <p className="form-error" role="alert">
          {error}
        </p>
      )}
    </li>
  );
}
