// Where alerts are sent: the household's webhook URL, on or off, the signing secret (shown once,
// when the service generates it) and a test delivery with its result. Members see the URL, whether
// it is on and the secret's last characters; only owners (and admins) change, remove or test it.
import { useState, type FormEvent, type ReactNode } from 'react';
import { deleteWebhook, getWebhook, putWebhook, testWebhook } from '../api/alerts';
import { messageOf } from '../api/api-error';
import type { AlertWebhook, WebhookTestResult } from '../api/alerts-types';
import { useApp } from '../app-context';
import { CopyButton } from '../components/copy-button';
import { SaveStatus } from '../components/save-status';
import { ErrorState, Loading, RefreshFailed } from '../components/status';
import { useReportAlertsUnavailable } from '../hooks/use-alerts-unavailable';
import { useAsync } from '../hooks/use-async';
import { useCanChange } from '../hooks/use-can-change';
import { useSave } from '../hooks/use-save';

export function AlertWebhook({ onUnavailable }: { onUnavailable?: () => void } = {}): ReactNode {
  const { client, household } = useApp();
  const { state, reload } = useAsync<AlertWebhook | null>((signal) => getWebhook(client, household.id, signal), [client, household.id]);
  const canChange = useCanChange();
  useReportAlertsUnavailable(state, onUnavailable);
  return (
    <section className="card" aria-labelledby="webhook-title">
      <h2 id="webhook-title" className="card-title">
        Webhook
      </h2>
      <p className="hint">Each alert is also POSTed as JSON to this address when it fires and when it resolves, signed with the secret over a timestamp and the body (header x-em-signature: t=…,v1=…); your receiver should refuse signatures older than 5 minutes.</p>
      {state.status === 'loading' && <Loading label="Loading webhook…" />}
      {state.status === 'error' && <ErrorState error={state.error} onRetry={reload} />}
      {state.status === 'ok' && <RefreshFailed error={state.refreshError} onRetry={reload} />}
      {state.status === 'ok' && (canChange ? <WebhookForm key={state.data?.updatedAt ?? 'none'} webhook={state.data} onChanged={reload} /> : <WebhookSummary webhook={state.data} />)}
    </section>
  );
}

/** The webhook as members see it: no form, nothing to press. */
function WebhookSummary({ webhook }: { webhook: AlertWebhook | null }): ReactNode {
  if (webhook === null) return <p className="meta">No webhook is set.</p>;
  return (
    <dl className="webhook-summary" aria-label="Webhook">
      <dt>URL</dt>
      <dd>{webhook.url}</dd>
      <dt>Sending</dt>
      <dd>{webhook.enabled ? 'On' : 'Off'}</dd>
      <dt>Signing secret</dt>
      <dd>ends in “{webhook.secretHint}”</dd>
    </dl>
  );
}

function WebhookForm({ webhook, onChanged }: { webhook: AlertWebhook | null; onChanged: () => void }): ReactNode {
  const { client, household } = useApp();
  const [url, setUrl] = useState(webhook?.url ?? '');
  const [enabled, setEnabled] = useState(webhook?.enabled ?? true);
  const [secret, setSecret] = useState<string | undefined>();
  const [test, setTest] = useState<{ busy: boolean; result?: WebhookTestResult; error?: string }>({ busy: false });
  const save = useSave();

  const submit = (event: FormEvent): void => {
    event.preventDefault();
    void save.run(async () => {
      const saved = await putWebhook(client, household.id, { url: url.trim(), enabled });
      // Shown once: later answers carry only its last four characters.
      if (saved.secret !== undefined) setSecret(saved.secret);
    });
  };
  const sendTest = async (): Promise<void> => {
    setTest({ busy: true });
    try {
      setTest({ busy: false, result: await testWebhook(client, household.id) });
    } catch (err) {
      setTest({ busy: false, error: messageOf(err) });
    }
  };
  const remove = (): void => {
    void save.run(async () => {
      await deleteWebhook(client, household.id);
      onChanged();
    });
  };
  const exists = webhook !== null || save.saved;

  return (
    <>
      <form onSubmit={submit} aria-label="Webhook settings">
        <fieldset disabled={save.busy} className="plain">
          <label className="field">
            <span>URL</span>
            <input type="url" required inputMode="url" placeholder="https://example.org/hooks/energy" value={url} onChange={(e) => setUrl(e.target.value)} />
          </label>
          <label className="field inline">
            <input type="checkbox" checked={enabled} onChange={(e) => setEnabled(e.target.checked)} />
            <span>Send alerts to this URL</span>
          </label>
          {webhook !== null && secret === undefined && <p className="meta">Signing secret ends in “{webhook.secretHint}”.</p>}
          <p className="actions">
            <button type="submit" className="button primary">
              Save webhook
            </button>
            {webhook !== null && (
              <button type="button" className="button danger" onClick={remove}>
                Remove webhook
              </button>
            )}
          </p>
        </fieldset>
      </form>
      <SaveStatus save={save} savedText="Webhook saved." />
      {secret !== undefined && (
        <div className="notice" role="region" aria-label="Signing secret">
          <p>Signing secret, shown only now — keep it where your receiver checks signatures:</p>
          <p className="secret" data-testid="webhook-secret">
            {secret}
          </p>
          <CopyButton text={secret} label="Copy secret" />
        </div>
      )}
      {exists && (
        <p className="actions">
          <button type="button" className="button secondary" onClick={() => void sendTest()} disabled={test.busy}>
            Send test
          </button>
          <span role="status" className={test.error !== undefined || test.result?.delivered === false ? 'form-error' : 'hint'}>
            {testText(test)}
          </span>
        </p>
      )}
    </>
  );
}

function testText(test: { busy: boolean; result?: WebhookTestResult; error?: string }): string {
  if (test.busy) return 'Sending…';
  if (test.error !== undefined) return test.error;
  if (test.result === undefined) return '';
  const status = test.result.status === undefined ? '' : ` (HTTP ${test.result.status})`;
  return test.result.delivered ? `Delivered${status}.` : `Not delivered${status}${test.result.error === undefined ? '' : `: ${test.result.error}`}.`;
}
