// A fleet of simulated agents in one process: `tsx device-agent/fleet-main.ts`, configured by
// EM_FLEET_* variables (see device-agent/README.md). With EM_FLEET_CONTAINERS_PER_AGENT set it
// exits 0 once every container is acknowledged (1 on timeout); otherwise it runs until SIGTERM.
// When the shared outbox's disk does not confirm a flush in time, every agent stops sealing and
// the whole fleet stops and exits 1 for its supervisor to start it again (outbox-flush-watch.ts).
import '../lib/process/report-config-errors.js'; // first: config errors end the process cleanly
import { createLogger } from '../lib/log.js';
import { createProcessRegistry } from '../lib/metrics/metrics-server.js';
import { createReadiness, registerReadinessMetrics } from '../lib/metrics/readiness.js';
import { brokerConnectedCheck } from './broker-readiness.js';
import { openDataDir } from './data-dir.js';
import { loadFleetConfig, readProvisionedAgents } from './fleet-config.js';
import { startAgentMetricsServer } from './metrics-endpoint.js';
import { startFleet } from './fleet.js';

const log = createLogger('device-fleet');
const config = loadFleetConfig();
const provisioned = config.agentsFile === undefined ? undefined : readProvisionedAgents(config.agentsFile);
// Two fleets on one folder would reuse each other's agents' seqs (see data-dir.ts).
await openDataDir(config.dataDir, 'EM_FLEET_DATA_DIR', 'device-fleet');
const registry = createProcessRegistry({ process: 'device-fleet' });
const { password } = config;
// Until shutdown can run (below), an unconfirmed flush is only remembered.
const outboxFailure: { error?: Error; stop?: () => void } = {};
const fleet = await startFleet({
  ...config,
  provisioned,
  // Same password for every agent, username = agent id (how the broker authenticates agents).
  credentials: password === undefined ? undefined : ({ agentId }) => ({ username: agentId, password }),
  registry,
  log,
  recordProduction: false,
  onOutboxUnconfirmed: (error) => {
    outboxFailure.error = error;
    outboxFailure.stop?.();
  },
});
// Ready = the fleet can publish: at least one agent holds a broker connection.
const readiness = createReadiness([brokerConnectedCheck(config.brokerUrl, () => fleet.stats().totals)]);
registerReadinessMetrics(registry, readiness);
const metricsServer =
  config.metricsPort === 0 ? undefined : await startAgentMetricsServer({ registry, port: config.metricsPort, readiness, variable: 'EM_FLEET_METRICS_PORT' });
log.info({ broker: config.brokerUrl, agents: fleet.identities.length, metricsPort: metricsServer?.port }, 'fleet started');
const statsTimer = setInterval(() => log.info(fleet.stats().totals, 'fleet stats'), config.statsIntervalMs);

let shuttingDown = false;
async function shutdown(code: number): Promise<void> {
  if (shuttingDown) return;
  shuttingDown = true;
  clearInterval(statsTimer);
  let exitCode = code;
  try {
    await fleet.stop();
  } catch (err) {
    log.error({ err }, 'error while stopping the fleet');
    exitCode = 1;
  }
  await metricsServer?.close();
  log.info(fleet.stats().totals, 'fleet stopped');
  process.exit(exitCode);
}

outboxFailure.stop = () => void shutdown(1);
if (outboxFailure.error !== undefined) outboxFailure.stop();

for (const signal of ['SIGTERM', 'SIGINT'] as const) {
  process.once(signal, () => void shutdown(0));
}
if (config.stopAfterContainers !== undefined) {
  fleet.waitUntilAllAcked(config.timeoutMs).then(
    () => void shutdown(0),
    (err: unknown) => {
      log.error({ err: (err as Error).message }, 'fleet did not finish');
      void shutdown(1);
    },
  );
}
