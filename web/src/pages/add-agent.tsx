// Add an agent: the auth service registers it and answers with its credentials once; we show
// them with the command that installs and starts the agent on a Raspberry Pi. Each agent's
// credentials stay until dismissed, so adding another does not hide the ones not yet saved.
// The name is optional, as for the auth service (`{name?}`): without one the agent goes by its id.
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
  const [created, setCreated] = useState<NewAgent[]>([]);

  const submit = async (event: FormEvent): Promise<void> => {
    event.preventDefault();
    setBusy(true);
    setError(undefined);
    const trimmed = name.trim();
    try {
      const agent = await client.json<NewAgent>('/api/auth', `/v1/households/${encodeURIComponent(household.id)}/agents`, { method: 'POST', body: jsonBody(trimmed === '' ? {} : { name: trimmed }) });
      setCreated((shown) => [agent, ...shown]);
      setName('');
      onAdded();
    } catch (err) {
      setError(messageOf(err));
    } finally {
      setBusy(false);
    }
  };
  const dismiss = (agentId: string): void => setCreated((shown) => shown.filter((a) => a.agentId !== agentId));

  return (
    <section className="card" aria-labelledby="add-agent-title">
      <h2 id="add-agent-title" className="card-title">
        Add a device agent
      </h2>
      <p className="meta">An agent runs on a Raspberry Pi (or any Linux box) and reports your meter and smart plugs.</p>
      <p id="add-agent-name-hint" className="meta">
        A name tells your agents apart; without one, the agent is listed by its id.
      </p>
      <form onSubmit={(e) => void submit(e)} className="toolbar">
        <label className="field" style={{ flex: '1 1 12rem', marginBottom: 0 }}>
          <span>Name (optional)</span>
          <input value={name} onChange={(e) => setName(e.target.value)} maxLength={100} placeholder="e.g. Kitchen Pi" aria-describedby="add-agent-name-hint" />
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
      {created.length > 1 && <p className="meta">Credentials of {created.length} new agents are shown below: save each before you dismiss it.</p>}
      {created.map((agent) => (
        <AgentCredentials key={agent.agentId} agent={agent} onDone={() => dismiss(agent.agentId)} />
      ))}
    </section>
  );
}
