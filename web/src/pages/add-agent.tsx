// Add an agent: the auth service registers it and answers with its credentials once; we show
// them with the command that installs and starts the agent on a Raspberry Pi.
import { useState, type FormEvent, type ReactNode } from 'react';
import { messageOf } from '../api/api-error';
import { jsonBody } from '../api/client';
import type { NewAgent } from '../api/types';
import { useApp } from '../app-context';
import { CopyButton } from '../components/copy-button';

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
      {created !== undefined && <Credentials agent={created} onDone={() => setCreated(undefined)} />}
    </section>
  );
}

function Credentials({ agent, onDone }: { agent: NewAgent; onDone: () => void }): ReactNode {
  return (
    <div className="notice" role="region" aria-label="New agent credentials">
      <h3>Agent “{agent.name === '' ? agent.agentId : agent.name}” is ready</h3>
      <p>
        <strong>These credentials are shown only once.</strong> Run this command on the Pi, in a checkout of Energymonitor:
      </p>
      <pre className="command" data-testid="provisioning-command">
        {agent.provisioningCommand}
      </pre>
      <CopyButton text={agent.provisioningCommand} label="Copy command" />
      <dl className="meta">
        <dt>Agent id</dt>
        <dd className="secret">{agent.agentId}</dd>
        <dt>Username</dt>
        <dd className="secret">{agent.username}</dd>
        <dt>Password</dt>
        <dd className="secret">{agent.password}</dd>
        <dt>Broker</dt>
        <dd className="secret">{agent.mqttUrl}</dd>
      </dl>
      <button type="button" className="button secondary" onClick={onDone}>
        I have saved them
      </button>
    </div>
  );
}
