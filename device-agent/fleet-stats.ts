// A fleet's statistics: each agent's, and their totals.
import type { AgentStats } from './agent.js';

export interface FleetTotals {
  readonly agents: number;
  readonly connected: number;
  readonly sealed: number;
  readonly published: number;
  readonly acked: number;
  readonly pending: number;
  readonly inFlight: number;
  readonly dropped: number;
  readonly reconnects: number;
}

export interface FleetStats {
  readonly agents: readonly AgentStats[];
  readonly totals: FleetTotals;
}

export function totalsOf(agents: readonly AgentStats[]): FleetTotals {
  const sum = (key: 'sealed' | 'published' | 'acked' | 'pending' | 'inFlight' | 'dropped' | 'reconnects'): number =>
    agents.reduce((total, stats) => total + stats[key], 0);
  return {
    agents: agents.length,
    connected: agents.filter((stats) => stats.connected).length,
    sealed: sum('sealed'),
    published: sum('published'),
    acked: sum('acked'),
    pending: sum('pending'),
    inFlight: sum('inFlight'),
    dropped: sum('dropped'),
    reconnects: sum('reconnects'),
  };
}
