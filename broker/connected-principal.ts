// Who each MQTT connection is, recorded at CONNECT by broker/authenticate.ts and read by the ACL
// hooks. Kept in a WeakMap keyed by Aedes' client object rather than as fields patched onto it.
import type { Client } from 'aedes';
import type { Principal } from '../lib/auth/principal.js';

export type ConnectedPrincipal =
  | { readonly kind: 'agent'; readonly agentId: string; readonly householdId: string; readonly credentialsChangedMs?: number }
  | { readonly kind: 'user' | 'service'; readonly principal: Principal };

export interface PrincipalRegistry {
  get(client: Client | null): ConnectedPrincipal | undefined;
  set(client: Client, principal: ConnectedPrincipal): void;
  /** Open connections authenticated as `agentId`. */
  clientsOfAgent(agentId: string): readonly Client[];
}

export function createPrincipalRegistry(): PrincipalRegistry {
  const byClient = new WeakMap<Client, ConnectedPrincipal>();
  const byAgent = new Map<string, Set<Client>>();
  const forget = (agentId: string, client: Client): void => {
    const set = byAgent.get(agentId);
    set?.delete(client);
    if (set?.size === 0) byAgent.delete(agentId);
  };
  return {
    get: (client) => (client === null ? undefined : byClient.get(client)),
    set(client, principal) {
      byClient.set(client, principal);
      if (principal.kind !== 'agent') return;
      const set = byAgent.get(principal.agentId) ?? new Set<Client>();
      set.add(client);
      byAgent.set(principal.agentId, set);
      client.conn.once('close', () => forget(principal.agentId, client));
    },
    clientsOfAgent: (agentId) => [...(byAgent.get(agentId) ?? [])],
  };
}
