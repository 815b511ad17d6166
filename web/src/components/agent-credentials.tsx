// An agent's credentials, shown once after it was added or given a new secret, with the command
// that installs and starts it on a Raspberry Pi.
import type { ReactNode } from 'react';
import type { NewAgent } from '../api/types';
import { CopyButton } from './copy-button';

/** A new agent, or one whose secret was replaced (that answer carries no name). */
export type AgentSecret = Omit<NewAgent, 'name'> & { name?: string };

export function AgentCredentials({ agent, onDone }: { agent: AgentSecret; onDone: () => void }): ReactNode {
  const title = agent.name === undefined || agent.name === '' ? agent.agentId : agent.name;
  return (
    <div className="notice" role="region" aria-label={`Credentials of agent ${title}`}>
      <h3>Agent “{title}” is ready</h3>
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
