// Add an agent: the auth service registers it and answers with its credentials once; we show
// them with the command that installs and starts the agent on a Raspberry Pi.
import { useState, type FormEvent, type ReactNode } from 'react';
import { messageOf } from '../api/api-error';
import { jsonBody } from '../api/client';
import type { NewAgent } from '../api/types';
import { useApp } from '../app-context';
import { AgentCredentials } from '../components/agent-credentials';

export function AddAgent({ onAdded }: { onAdded: () => void }): ReactNode {
  const { client, household } = useApp();
  const [name, setName] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | undefined>();
  const [created, setCreated] = useState<NewAgent | undefined>();

  const submit = async (event: FormEvent): Promise<void> => {
    event.preventDefault();
    setBusy(true);
    setError(undefined);
    try {
      const agent = await client.json<NewAgent>('/api/auth', `/v1/households/${encodeURIComponent(household.id)}/agents`, { method: 'POST', body: jsonBody({ name: name.trim() }) });
      setCreated(agent);
      setName('');
      onAdded();
    } catch (err) {
      setError(messageOf(err));
    } finally {
      setBusy(false);
    }
  };

  return (
    <section className="card" aria-labelledby="add-agent-title">
      <h2 id="add-agent-title" className="card-title">
        Add a device agent
      </h2>
      <p className="meta">An agent runs on a Raspberry Pi (or any Linux box) and reports your meter and smart plugs.</p>
      <form onSubmit={(e) => void submit(e)} className="toolbar">
        <label className="field" style={{ flex: '1 1 12rem', marginBottom: 0 }}>
          <span>Name</span>
          <input value={name} onChange={(e) => setName(e.target.value)} maxLength={100} placeholder="e.g. Kitchen Pi" />
        </label>
        <button type="submit" className="button primary" disabled={busy} style={{ alignSelf: 'flex-end' }}>
          {busy ? 'Adding…' : 'Add agent'}
        </button>
      </form>
      {error !== undefined && (
        <p className="form-error" role="alert">
          {error}
        </p>
      )}
      {created !== undefined && <AgentCredentials agent={created} onDone={() => setCreated(undefined)} />}
    </section>
  );
}
