// One agent: online or not, when last heard, its devices, how complete its data was per day, and
// (for owners) a new secret or revoking it, each after a confirmation: both cut a running agent off.
import { useState, type ReactNode } from 'react';
import { messageOf } from '../api/api-error';
import type { AgentStatus, CompletenessAnswer } from '../api/types';
import { AgentCredentials, type AgentSecret } from '../components/agent-credentials';
import { useApp } from '../app-context';
import { useCanChange } from '../hooks/use-can-change';
import { formatAgo } from '../lib/format';

type AgentCompleteness = CompletenessAnswer['agents'][number];

export function AgentCard({ agent, completeness, nowMs, onChanged }: { agent: AgentStatus; completeness?: AgentCompleteness; nowMs: number; onChanged: () => void }): ReactNode {
  const canChange = useCanChange();
  const title = agent.name === '' ? agent.id : agent.name;
  return (
    <article className="agent" aria-label={`Agent ${title}`}>
      <div className="agent-head">
        <h3>{title}</h3>
        {agent.revoked ? <span className="badge error">revoked</span> : <span className={`badge ${agent.online ? 'ok' : 'off'}`}>{agent.online ? 'online' : 'offline'}</span>}
      </div>
      <p className="meta">
        Last seen {formatAgo(agent.lastSeen, nowMs)}
        {agent.name !== '' && <> · id {agent.id}</>}
      </p>
      {agent.devices.length > 0 && (
        <ul className="meta">
          {agent.devices.map((d) => (
            <li key={d.id}>
              {d.id}: {d.online ? 'reporting' : 'silent'}, last {formatAgo(d.lastSeen, nowMs)}
            </li>
          ))}
        </ul>
      )}
      {completeness !== undefined && completeness.days.length > 0 && <CompletenessTable completeness={completeness} />}
      {!agent.revoked && canChange && (
        <>
          <NewSecret agentId={agent.id} title={title} />
          <RevokeButton agentId={agent.id} title={title} onRevoked={onChanged} />
        </>
      )}
    </article>
  );
}

function percent(share: number | null): string {
  return share === null ? '–' : `${Math.round(Math.min(1, share) * 100)} %`;
}

function CompletenessTable({ completeness }: { completeness: AgentCompleteness }): ReactNode {
  const days = completeness.days.slice(-7);
  return (
    <div className="table-scroll">
      <table>
        <caption className="visually-hidden">Data completeness per day</caption>
        <thead>
          <tr>
            <th scope="col">Day</th>
            <th scope="col">Received</th>
            <th scope="col">Complete</th>
          </tr>
        </thead>
        <tbody>
          {days.map((d) => (
            <tr key={d.day}>
              <td>{d.day.slice(0, 10)}</td>
              <td>
                {d.received} / {d.expected}
              </td>
              <td>{percent(d.share)}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

function RevokeButton({ agentId, title, onRevoked }: { agentId: string; title: string; onRevoked: () => void }): ReactNode {
  const { client, household } = useApp();
  const [confirming, setConfirming] = useState(false);
  const [error, setError] = useState<string | undefined>();
  const revoke = async (): Promise<void> => {
    setError(undefined);
    try {
      await client.json('/api/auth', `/v1/households/${encodeURIComponent(household.id)}/agents/${encodeURIComponent(agentId)}`, { method: 'DELETE' });
      onRevoked();
    } catch (err) {
      setError(messageOf(err));
    }
  };
  return (
    <div className="toolbar">
      {confirming ? (
        <>
          <span>Revoke {title}? It is cut off within seconds and cannot be undone.</span>
          <button type="button" className="button danger small" onClick={() => void revoke()}>
            Yes, revoke
          </button>
          <button type="button" className="button secondary small" onClick={() => setConfirming(false)}>
            Cancel
          </button>
        </>
      ) : (
        <button type="button" className="button danger small" onClick={() => setConfirming(true)}>
          Revoke
        </button>
      )}
      {error !== undefined && (
        <p className="form-error" role="alert">
          {error}
        </p>
      )}
    </div>
  );
}

/** A new secret for a reinstalled or compromised Pi: the old one stops working, the new command is shown once. */
function NewSecret({ agentId, title }: { agentId: string; title: string }): ReactNode {
  const { client, household } = useApp();
  const [confirming, setConfirming] = useState(false);
  const [secret, setSecret] = useState<AgentSecret | undefined>();
  const [error, setError] = useState<string | undefined>();
  const rotate = async (): Promise<void> => {
    setError(undefined);
    setConfirming(false);
    try {
      setSecret(await client.json<AgentSecret>('/api/auth', `/v1/households/${encodeURIComponent(household.id)}/agents/${encodeURIComponent(agentId)}/rotate`, { method: 'POST', body: '{}' }));
    } catch (err) {
      setError(messageOf(err));
    }
  };
  if (secret !== undefined) return <AgentCredentials agent={secret} onDone={() => setSecret(undefined)} />;
  return (
    <div className="toolbar">
      {confirming ? (
        <>
          <span>Give {title} a new secret? The old one stops working at once: a running agent is cut off until it is started with the new command.</span>
          <button type="button" className="button danger small" onClick={() => void rotate()}>
            Yes, new secret
          </button>
          <button type="button" className="button secondary small" onClick={() => setConfirming(false)}>
            Cancel
          </button>
        </>
      ) : (
        <button type="button" className="button secondary small" onClick={() => setConfirming(true)}>
          New secret and command
        </button>
      )}
      {error !== undefined && (
        <p className="form-error" role="alert">
          {error}
        </p>
      )}
    </div>
  );
}
