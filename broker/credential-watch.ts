// Cuts off connections whose credentials stopped being valid:
// - agents: polls AgentDirectory.credentialChangesSince every pollMs (≤ 5 s) and closes the
//   connections of every agent whose secret was rotated or revoked (those authenticated before the
//   change: each connection keeps the stamp its secret was verified against); their next CONNECT is checked
//   afresh (the cache forgets them), so a revoked agent is out within pollMs + one query (< 10 s);
// - users and services: each connection is closed when its access token expires.
import type { Client } from 'aedes';
import type { AgentDirectory } from '../lib/auth/directory.js';
import { MAX_TIMER_MS } from '../lib/config/load-config.js';
import { clipForLog, type Logger } from '../lib/log.js';
import type { PrincipalRegistry } from './connected-principal.js';
import type { BrokerMetrics } from './metrics.js';

export const MAX_CREDENTIAL_POLL_MS = 5_000;

/**
 * How far behind the cursor each poll looks again. credentials_changed_at is stamped inside the
 * transaction, before it commits, so a change stamped earlier can become visible after a later
 * one that already moved the cursor past it (READ COMMITTED shows commit order, not stamp order).
 * Changes seen before are remembered by (agent, time) so they cut off once, not at every poll.
 */
export const LATE_COMMIT_MS = 5_000;

export interface CredentialWatchDeps {
  readonly agents: AgentDirectory & { forgetAgent?(agentId: string): void };
  readonly principals: PrincipalRegistry;
  readonly metrics: Pick<BrokerMetrics, 'credentialCutoffs'>;
  readonly log: Logger;
  readonly pollMs: number;
  readonly clock?: () => number;
}

export interface CredentialWatch {
  /** Closes `client` when the token it authenticated with expires. */
  closeAtExpiry(client: Client, expiresAtS: number): void;
  /** One poll (also run by the timer); resolves when the affected clients were told to close. */
  pollOnce(): Promise<void>;
  stop(): void;
}

export function startCredentialWatch(deps: CredentialWatchDeps): CredentialWatch {
  if (deps.pollMs > MAX_CREDENTIAL_POLL_MS) throw new Error(`credential poll every ${deps.pollMs} ms: at most ${MAX_CREDENTIAL_POLL_MS} ms`);
  const clock = deps.clock ?? Date.now;
  // Nobody is connected before start, so changes before it do not matter; the margin covers clock skew.
  let cursorMs = clock() - 60_000;
  let polling: Promise<void> | undefined;
  const handled = new Map<string, number>(); // `${agentId}@${changedMs}` → changedMs

  // A connection whose secret was verified against this change's stamp or a later one holds the new
  // credentials (a re-provisioned agent reconnecting at once, a rotated one reconfigured): only
  // connections authenticated before the change, or without a stamp, are cut off.
  const holdsOlder = (client: Client, changedMs: number): boolean => {
    const principal = deps.principals.get(client);
    return principal?.kind !== 'agent' || principal.credentialsChangedMs === undefined || principal.credentialsChangedMs < changedMs;
  };
  const cutOff = (agentId: string, changedMs: number): void => {
    deps.agents.forgetAgent?.(agentId);
    for (const client of deps.principals.clientsOfAgent(agentId)) {
      if (!holdsOlder(client, changedMs)) continue;
      deps.metrics.credentialCutoffs.inc({ reason: 'credentials-changed' });
      deps.log.warn({ agentId, clientId: client.id }, 'agent credentials changed: closing its connection');
      client.close();
    }
  };
  const poll = async (): Promise<void> => {
    const { changes, newestMs } = await deps.agents.credentialChangesSince(cursorMs - LATE_COMMIT_MS);
    for (const { agentId, changedMs } of changes) {
      const key = `${agentId}@${changedMs}`;
      if (handled.has(key)) continue;
      handled.set(key, changedMs);
      cutOff(agentId, changedMs);
    }
    cursorMs = Math.max(cursorMs, newestMs);
    for (const [key, changedMs] of handled) if (changedMs < cursorMs - LATE_COMMIT_MS) handled.delete(key);
  };
  const pollOnce = (): Promise<void> => {
    polling ??= poll()
      .catch((err: unknown) => deps.log.error({ err: String(err) }, 'credential watch: poll failed; retrying'))
      .finally(() => (polling = undefined));
    return polling;
  };
  const timer = setInterval(() => void pollOnce(), deps.pollMs);
  timer.unref();

  return {
    closeAtExpiry(client, expiresAtS) {
      const expiry = setTimeout(() => {
        deps.metrics.credentialCutoffs.inc({ reason: 'token-expired' });
        deps.log.info({ clientId: clipForLog(client.id) }, 'access token expired: closing connection');
        client.close();
      }, Math.min(MAX_TIMER_MS, Math.max(0, expiresAtS * 1000 - clock())));
      expiry.unref();
      client.conn.once('close', () => clearTimeout(expiry));
    },
    pollOnce,
    stop: () => clearInterval(timer),
  };
}
