// Configuration of a fleet process from EM_FLEET_* environment variables, validated once and frozen
// (the variables are described in device-agent/README.md, "Fleet mode").
import { readFileSync } from 'node:fs';
import { z } from 'zod';
import { ConfigError, loadConfig, portSchema, positiveInt, timerMsSchema, timerOrZeroMsSchema } from '../lib/config/load-config.js';
import { DEFAULT_FLUSH_TIMEOUT_MS } from '../lib/journal/flush-time-limit.js';
import { ID_PATTERN } from '../proto/topics.js';
import { brokerUrlSchema, maxInFlightSchema } from './agent-config.js';

const schema = z
  .object({
    EM_FLEET_BROKER_URL: brokerUrlSchema.default('mqtt://127.0.0.1:1883'),
    EM_FLEET_AGENTS: positiveInt.default(10),
    EM_FLEET_FIRST_INDEX: positiveInt.default(1),
    EM_FLEET_HOUSEHOLD_PREFIX: z.string().regex(/^[A-Za-z0-9_-]*$/).default('h-'),
    EM_FLEET_AGENT_PREFIX: z.string().regex(/^[A-Za-z0-9_-]*$/).default('a-'),
    // No 1000 ms minimum as for one agent: a fleet is a load generator, and the fault-injection
    // tests and load tests run it at 20–25 ms on purpose.
    EM_FLEET_PUBLISH_INTERVAL_MS: timerMsSchema.default(60_000),
    EM_FLEET_SAMPLE_INTERVAL_MS: timerMsSchema.optional(),
    EM_FLEET_DEVICES: positiveInt.max(30).default(5),
    EM_FLEET_START_JITTER_MS: timerOrZeroMsSchema.optional(),
    EM_FLEET_CONTAINERS_PER_AGENT: positiveInt.optional(),
    EM_FLEET_TIMEOUT_MS: timerMsSchema.default(600_000),
    EM_FLEET_SEED: z.coerce.number().int().default(1),
    EM_FLEET_MAX_IN_FLIGHT: maxInFlightSchema.default(32),
    EM_FLEET_PASSWORD: z.string().min(1).optional(),
    // JSON array of { householdId, agentId, secret } from the auth service (npm start writes it).
    EM_FLEET_AGENTS_FILE: z.string().min(1).optional(),
    // Production ledger for the loss checker (loadtest/loss-check/loss-check.ts); off when unset.
    EM_FLEET_LEDGER_PATH: z.string().min(1).optional(),
    EM_FLEET_DATA_DIR: z.string().min(1).default('.data/fleet'),
    // As EM_AGENT_OUTBOX_FLUSH_TIMEOUT_MS; past it the whole fleet exits 1 (one shared outbox).
    EM_FLEET_OUTBOX_FLUSH_TIMEOUT_MS: timerMsSchema.default(DEFAULT_FLUSH_TIMEOUT_MS),
    EM_FLEET_METRICS_PORT: portSchema.default(0),
    EM_FLEET_STATS_INTERVAL_MS: timerMsSchema.default(10_000),
  })
  .refine((env) => (env.EM_FLEET_SAMPLE_INTERVAL_MS ?? 0) <= env.EM_FLEET_PUBLISH_INTERVAL_MS, {
    message: 'EM_FLEET_SAMPLE_INTERVAL_MS must not exceed EM_FLEET_PUBLISH_INTERVAL_MS',
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
    outboxFlushTimeoutMs: env.EM_FLEET_OUTBOX_FLUSH_TIMEOUT_MS,
    metricsPort: env.EM_FLEET_METRICS_PORT,
    statsIntervalMs: env.EM_FLEET_STATS_INTERVAL_MS,
  }));

const provisionedAgentsSchema = z
  .array(z.object({ householdId: z.string().regex(ID_PATTERN), agentId: z.string().regex(ID_PATTERN), secret: z.string().min(1) }))
  .min(1);

/** The agents of EM_FLEET_AGENTS_FILE; a ConfigError names the file and what is wrong in it. */
export function readProvisionedAgents(path: string): z.infer<typeof provisionedAgentsSchema> {
  let parsed: ReturnType<typeof provisionedAgentsSchema.safeParse>;
  try {
    parsed = provisionedAgentsSchema.safeParse(JSON.parse(readFileSync(path, 'utf8')));
  } catch (error) {
    throw new ConfigError(`EM_FLEET_AGENTS_FILE ${path}: ${error instanceof Error ? error.message : String(error)}`);
  }
  if (!parsed.success) throw new ConfigError(`EM_FLEET_AGENTS_FILE ${path}:\n${z.prettifyError(parsed.error)}`);
  return parsed.data;
}

export type FleetConfig = z.infer<typeof schema>;

export function loadFleetConfig(env: Readonly<Record<string, string | undefined>> = process.env): Readonly<FleetConfig> {
  return loadConfig(schema, env);
}
