// Builds the configured meter source; plug failures feed the source-error metric.
import type { Logger } from '../lib/log.js';
import type { AgentConfig } from './agent-config.js';
import type { AgentMetrics } from './agent-metrics.js';
import type { MeterSource } from './sources/meter-source.js';
import { fnv1a32 } from './sources/seeded-hash.js';
import { createShellyGen2Source } from './sources/shelly-gen2.js';
import { createSimulatedHousehold } from './sources/simulated-household.js';
import { createTasmotaSource } from './sources/tasmota.js';

export function createConfiguredSource(config: Readonly<AgentConfig>, log: Logger, metrics: AgentMetrics): MeterSource {
  const plugOptions = {
    plugs: config.plugs,
    timeoutMs: config.plugTimeoutMs,
    log,
    onError: ({ source, reason }: { source: string; reason: string }) => metrics.sourceErrors.inc({ source, reason }),
  };
  switch (config.source) {
    case 'shelly':
      return createShellyGen2Source(plugOptions);
    case 'tasmota':
      return createTasmotaSource(plugOptions);
    case 'simulated':
      // Without a seed, the agent id picks the household: stable across restarts.
      return createSimulatedHousehold({
        seed: config.simulatedSeed ?? fnv1a32(`${config.householdId}/${config.agentId}`) | 0,
        devices: config.simulatedDevices,
      });
  }
}
