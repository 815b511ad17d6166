// A fleet's statistics: each agent's, and their totals.
import type { AgentStats } from './agent.js';

/** The counts an agent keeps that add up over a fleet. */
type SummedStat = 'sealed' | 'published' | 'acked' | 'pending' | 'inFlight' | 'dropped' | 'reconnects';

export interface FleetTotals extends Pick<AgentStats, SummedStat> {
  readonly agents: number;
  readonly connected: number;
}

export interface FleetStats {
  readonly agents: readonly AgentStats[];
  readonly totals: FleetTotals;
}

export function totalsOf(agents: readonly AgentStats[]): FleetTotals {
  const sum = (key: SummedStat): number => agents.reduce((total, stats) => total + stats[key], 0);
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
