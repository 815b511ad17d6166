// Readiness of an agent process: it can deliver readings only while it holds a broker connection.
// One check for the single agent (its connection) and the fleet (at least one of its agents).
import type { ReadinessCheck } from '../lib/metrics/readiness.js';

export function brokerConnectedCheck(brokerUrl: string, connection: () => { readonly connected: number; readonly agents: number }): ReadinessCheck {
  return {
    name: 'broker',
    run() {
      const { connected, agents } = connection();
      if (connected > 0) return;
      throw new Error(agents === 1 ? `not connected to ${brokerUrl}` : `none of ${agents} agents is connected to ${brokerUrl}`);
    },
  };
}
