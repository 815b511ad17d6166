// A fleet of simulated agents in one process: `tsx device-agent/fleet-main.ts`, configured by
// EM_FLEET_* variables (see device-agent/README.md). With EM_FLEET_CONTAINERS_PER_AGENT set it
// exits 0 once every container is acknowledged (1 on timeout); otherwise it runs until SIGTERM.
import '../lib/process/report-config-errors.js'; // first: config errors end the process cleanly
import { readFileSync } from 'node:fs';
import { z } from 'zod';
import { ConfigError, loadConfig, portSchema, positiveInt } from '../lib/config/load-config.js';
import { createLogger } from '../lib/log.js';
import { createProcessRegistry, startMetricsServer } from '../lib/metrics/metrics-server.js';
import { createReadiness, registerReadinessMetrics } from '../lib/metrics/readiness.js';
import { brokerUrlSchema } from './agent-config.js';
import { startFleet } from './fleet.js';

const schema = z
  .object({
    EM_FLEET_BROKER_URL: brokerUrlSchema.default('mqtt://127.0.0.1:1883'),
    EM_FLEET_AGENTS: positiveInt.default(10),
    EM_FLEET_FIRST_INDEX: positiveInt.default(1),
    EM_FLEET_HOUSEHOLD_PREFIX: z.string().regex(/^[A-Za-z0-9_-]*$/).default('h-'),
    EM_FLEET_AGENT_PREFIX: z.string().regex(/^[A-Za-z0-9_-]*$/).default('a-'),
    EM_FLEET_PUBLISH_INTERVAL_MS: positiveInt.default(60_000),
    EM_FLEET_SAMPLE_INTERVAL_MS: positiveInt.optional(),
    EM_FLEET_DEVICES: positiveInt.max(30).default(5),
    EM_FLEET_START_JITTER_MS: z.coerce.number().int().min(0).optional(),
    EM_FLEET_CONTAINERS_PER_AGENT: positiveInt.optional(),
    EM_FLEET_TIMEOUT_MS: positiveInt.default(600_000),
    EM_FLEET_SEED: z.coerce.number().int().default(1),
    EM_FLEET_MAX_IN_FLIGHT: positiveInt.default(32),
    EM_FLEET_PASSWORD: z.string().min(1).optional(),
    // JSON array of { householdId, agentId, secret } from the auth service (npm start writes it).
    EM_FLEET_AGENTS_FILE: z.string().min(1).optional(),
    // Production ledger for the loss checker (loadtest/loss-check.ts); off when unset.
    EM_FLEET_LEDGER_PATH: z.string().min(1).optional(),
    EM_FLEET_DATA_DIR: z.string().min(1).default('.data/fleet'),
    EM_FLEET_METRICS_PORT: portSchema.default(0),
    EM_FLEET_STATS_INTERVAL_MS: positiveInt.default(10_000),
  })
  .transform((env) => ({
    brokerUrl: env.EM_FLEET_BROKER_URL,
    agents: env.EM_FLEET_AGENTS,
    firstIndex: env.EM_FLEET_FIRST_INDEX,
    householdPrefix: env.EM_FLEET_HOUSEHOLD_PREFIX,
    agentPrefix: env.EM_FLEET_AGENT_PREFIX,
    publishIntervalMs: env.EM_FLEET_PUBLISH_INTERVAL_MS,
    sampleIntervalMs: env.EM_FLEET_SAMPLE_INTERVAL_MS,
    devices: env.EM_FLEET_DEVICES,
    startJitterMs: env.EM_FLEET_START_JITTER_MS,
    stopAfterContainers: env.EM_FLEET_CONTAINERS_PER_AGENT,
    timeoutMs: env.EM_FLEET_TIMEOUT_MS,
    seed: env.EM_FLEET_SEED,
    maxInFlight: env.EM_FLEET_MAX_IN_FLIGHT,
    password: env.EM_FLEET_PASSWORD,
    agentsFile: env.EM_FLEET_AGENTS_FILE,
    ledgerPath: env.EM_FLEET_LEDGER_PATH,
    dataDir: env.EM_FLEET_DATA_DIR,
    metricsPort: env.EM_FLEET_METRICS_PORT,
    statsIntervalMs: env.EM_FLEET_STATS_INTERVAL_MS,
  }));

const provisionedAgentsSchema = z
  .array(z.object({ householdId: z.string().min(1), agentId: z.string().min(1), secret: z.string().min(1) }))
  .min(1);

function readProvisionedAgents(path: string): z.infer<typeof provisionedAgentsSchema> {
  try {
    return provisionedAgentsSchema.parse(JSON.parse(readFileSync(path, 'utf8')));
  } catch (error) {
    throw new ConfigError(`EM_FLEET_AGENTS_FILE ${path}: ${error instanceof Error ? error.message : String(error)}`);
  }
}

const log = createLogger('device-fleet');
const config = loadConfig(schema);
const registry = createProcessRegistry({ process: 'device-fleet' });
const { password } = config;
const fleet = await startFleet({
  ...config,
  provisioned: config.agentsFile === undefined ? undefined : readProvisionedAgents(config.agentsFile),
  // Same password for every agent, username = agent id (how the broker authenticates agents).
  credentials: password === undefined ? undefined : ({ agentId }) => ({ username: agentId, password }),
  registry,
  log,
  recordProduction: false,
});
// Ready = the fleet can publish: at least one agent holds a broker connection.
const readiness = createReadiness([
  {
    name: 'broker',
    run() {
      const { connected, agents } = fleet.stats().totals;
      if (connected === 0) throw new Error(`none of ${agents} agents is connected to ${config.brokerUrl}`);
    },
  },
]);
registerReadinessMetrics(registry, readiness);
const metricsServer = config.metricsPort === 0 ? undefined : await startMetricsServer({ registry, port: config.metricsPort, readiness });
log.info({ broker: config.brokerUrl, agents: fleet.identities.length, metricsPort: metricsServer?.port }, 'fleet started');
const statsTimer = setInterval(() => log.info(fleet.stats().totals, 'fleet stats'), config.statsIntervalMs);

async function shutdown(code: number): Promise<never> {
  clearInterval(statsTimer);
  await fleet.stop();
  await metricsServer?.close();
  log.info(fleet.stats().totals, 'fleet stopped');
  process.exit(code);
}

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
