// One device agent process: `tsx device-agent/main.ts`, configured by EM_AGENT_* variables
// (see device-agent/README.md). SIGTERM/SIGINT stop it gracefully.
import '../lib/process/report-config-errors.js'; // first: config errors end the process cleanly
import { join } from 'node:path';
import { createLogger } from '../lib/log.js';
import { createProcessRegistry, startMetricsServer, type MetricsServer } from '../lib/metrics/metrics-server.js';
import { createAgent } from './agent.js';
import { loadAgentConfig } from './agent-config.js';
import { createAgentMetrics } from './agent-metrics.js';
import { openOutboxStore } from './outbox.js';
import { createConfiguredSource } from './source-factory.js';
import { stopOnSignal } from '../lib/process/stop-on-signal.js';

const log = createLogger('device-agent');
const config = loadAgentConfig();
const registry = createProcessRegistry({ process: 'device-agent' });
const store = openOutboxStore(join(config.dataDir, 'outbox.mdb'), { maxEntriesPerAgent: config.outboxMaxEntries, log });
const outbox = store.forAgent(config.agentId);
const metrics = createAgentMetrics(registry, () => outbox.depth());
const agent = createAgent({ ...config, source: createConfiguredSource(config, log, metrics), outbox, metrics, log });

let metricsServer: MetricsServer | undefined;
if (config.metricsPort !== 0) metricsServer = await startMetricsServer({ registry, port: config.metricsPort });
agent.start();
log.info(
  { broker: config.brokerUrl, householdId: config.householdId, agentId: config.agentId, source: config.source, pending: outbox.depth() },
  'agent started',
);

stopOnSignal(log, 'agent', async () => {
  await agent.stop();
  await metricsServer?.close();
  await store.close();
});
