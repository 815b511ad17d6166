// One device agent process: `tsx device-agent/main.ts`, configured by EM_AGENT_* variables
// (see device-agent/README.md). SIGTERM/SIGINT stop it gracefully.
import '../lib/process/report-config-errors.js'; // first: config errors end the process cleanly
import { join } from 'node:path';
import { createLogger } from '../lib/log.js';
import { createProcessRegistry, type MetricsServer } from '../lib/metrics/metrics-server.js';
import { createReadiness, registerReadinessMetrics } from '../lib/metrics/readiness.js';
import { stopOnSignal, type ProcessStop } from '../lib/process/stop-on-signal.js';
import { createAgent } from './agent.js';
import { loadAgentConfig } from './agent-config.js';
import { createAgentMetrics } from './agent-metrics.js';
import { brokerConnectedCheck } from './broker-readiness.js';
import { openDataDir } from './data-dir.js';
import { startAgentMetricsServer } from './metrics-endpoint.js';
import { openOutboxStore } from './outbox.js';
import { watchOutboxFlushes } from './outbox-flush-watch.js';
import { createConfiguredSource } from './source-factory.js';

const log = createLogger('device-agent');
const config = loadAgentConfig();
// Before LMDB: a folder it cannot use fails there obscurely or hangs; a second agent must not start.
const dataDirLock = await openDataDir(config.dataDir, 'EM_AGENT_DATA_DIR', 'device-agent');
const registry = createProcessRegistry({ process: 'device-agent' });
const metrics = createAgentMetrics(registry, () => store.totalDepth());
// An outbox flush the SD card did not confirm in time: stop and exit 1, for systemd to start the
// agent again on what is on disk (outbox-flush-watch.ts).
const processStop: { current?: ProcessStop } = {};
const store = openOutboxStore(join(config.dataDir, 'outbox.mdb'), {
  maxEntriesPerAgent: config.outboxMaxEntries,
  log,
  flushTimeoutMs: config.outboxFlushTimeoutMs,
  onFlushOverdue: watchOutboxFlushes({ log, metrics, dataDir: config.dataDir, onUnconfirmed: (err) => processStop.current?.failed(err.message) }),
});
const outbox = store.forAgent(config.agentId);
const agent = createAgent({ ...config, source: createConfiguredSource(config, log, metrics), outbox, metrics, log });
// Ready = readings can leave the Pi: the broker connection is up.
const readiness = createReadiness([brokerConnectedCheck(config.brokerUrl, () => ({ connected: agent.stats().connected ? 1 : 0, agents: 1 }))]);
registerReadinessMetrics(registry, readiness);

let metricsServer: MetricsServer | undefined;
if (config.metricsPort !== 0) {
  metricsServer = await startAgentMetricsServer({ registry, port: config.metricsPort, readiness, variable: 'EM_AGENT_METRICS_PORT' });
}
agent.start();
log.info(
  { broker: config.brokerUrl, householdId: config.householdId, agentId: config.agentId, source: config.source, pending: outbox.depth(), metricsPort: metricsServer?.port },
  'agent started',
);

processStop.current = stopOnSignal(log, 'agent', async () => {
  await agent.stop();
  // The outbox first, the metrics after: while a close waits for an SD card that does not answer,
  // the metrics still show em_agent_outbox_flush_timeouts_total for AgentOutboxFlushUnconfirmed.
  await store.close();
  await metricsServer?.close();
  await dataDirLock.release();
});
