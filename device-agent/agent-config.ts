// Configuration of one agent process from EM_AGENT_* environment variables, validated once and frozen.
import { z } from 'zod';
import { loadConfig, portSchema, positiveInt, timerMsSchema } from '../lib/config/load-config.js';
import { ID_PATTERN } from '../proto/topics.js';
import { DEFAULT_MAX_DEVICES_PER_AGENT } from '../broker/agent-device-bound.js';
import { DEFAULT_FLUSH_TIMEOUT_MS } from '../lib/journal/flush-time-limit.js';
import { DEFAULT_VALIDATION_LIMITS } from '../broker/validate-container.js';
import { parsePlugList } from './sources/plug-config.js';

export const MIN_PUBLISH_INTERVAL_MS = 1000;
export const publishIntervalMsSchema = timerMsSchema.min(MIN_PUBLISH_INTERVAL_MS);

/**
 * A QoS1 publish in flight holds one of MQTT's 65535 packet identifiers [MQTT-2.3.1-2: a new packet
 * takes a currently unused one]. MQTT.js does not check: past 65535 it wraps and reuses an id in
 * flight, the older publish's PUBACK completes the newer one, and the older one is never
 * acknowledged on that connection.
 */
export const maxInFlightSchema = positiveInt.max(65_535, 'must be at most 65535 (MQTT packet identifiers)');

/** mqtt:// (tcp://), mqtts:// (ssl://), ws:// or wss://, parseable. */
export const brokerUrlSchema = z.string().refine((text) => {
  try {
    return ['mqtt:', 'tcp:', 'mqtts:', 'ssl:', 'ws:', 'wss:'].includes(new URL(text).protocol);
  } catch {
    return false;
  }
}, 'must be an mqtt://, mqtts://, ws:// or wss:// URL');

const plugListSchema = z.string().transform((text, ctx) => {
  try {
    return parsePlugList(text);
  } catch (err) {
    ctx.addIssue({ code: 'custom', message: (err as Error).message });
    return z.NEVER;
  }
});

const schema = z
  .object({
    EM_AGENT_BROKER_URL: brokerUrlSchema.default('mqtt://127.0.0.1:1883'),
    EM_AGENT_HOUSEHOLD_ID: z.string().regex(ID_PATTERN),
    EM_AGENT_ID: z.string().regex(ID_PATTERN),
    EM_AGENT_USERNAME: z.string().min(1).optional(),
    EM_AGENT_PASSWORD: z.string().min(1).optional(),
    EM_AGENT_SOURCE: z.enum(['simulated', 'shelly', 'tasmota']).default('simulated'),
    EM_AGENT_PLUGS: plugListSchema.optional(),
    // Default: 2000, or half the sample interval when that is shorter.
    EM_AGENT_PLUG_TIMEOUT_MS: timerMsSchema.optional(),
    EM_AGENT_DEVICES: positiveInt.max(30).default(5),
    EM_AGENT_SEED: z.coerce.number().int().optional(),
    EM_AGENT_PUBLISH_INTERVAL_MS: publishIntervalMsSchema.default(60_000),
    EM_AGENT_SAMPLE_INTERVAL_MS: timerMsSchema.default(5000),
    EM_AGENT_MAX_IN_FLIGHT: maxInFlightSchema.default(32),
    // The broker's EM_BROKER_MAX_MEASUREMENTS_PER_CONTAINER: a longer interval is sealed as several containers.
    EM_AGENT_MAX_MEASUREMENTS_PER_CONTAINER: positiveInt.default(DEFAULT_VALIDATION_LIMITS.maxMeasurementsPerContainer),
    EM_AGENT_OUTBOX_MAX_ENTRIES: positiveInt.default(10_080),
    // How long a seal and the outbox's close wait for the SD card; past it the agent exits 1.
    EM_AGENT_OUTBOX_FLUSH_TIMEOUT_MS: timerMsSchema.default(DEFAULT_FLUSH_TIMEOUT_MS),
    EM_AGENT_DATA_DIR: z.string().min(1).default('.data/device-agent'),
    EM_AGENT_METRICS_PORT: portSchema.default(0),
  })
  .refine((env) => env.EM_AGENT_SAMPLE_INTERVAL_MS <= env.EM_AGENT_PUBLISH_INTERVAL_MS, {
    message: 'EM_AGENT_SAMPLE_INTERVAL_MS must not exceed EM_AGENT_PUBLISH_INTERVAL_MS',
  })
  .refine((env) => env.EM_AGENT_SOURCE === 'simulated' || (env.EM_AGENT_PLUGS ?? []).length > 0, {
    message: 'EM_AGENT_PLUGS is required for the shelly and tasmota sources',
  })
  // Not inferred: a plug list does not say whether the plugs speak Shelly's or Tasmota's protocol.
  .refine((env) => env.EM_AGENT_SOURCE !== 'simulated' || (env.EM_AGENT_PLUGS ?? []).length === 0, {
    message: 'EM_AGENT_PLUGS is set but EM_AGENT_SOURCE is simulated (its default): set EM_AGENT_SOURCE=shelly or tasmota',
  })
  // The broker refuses every container of an agent past this many device ids a day
  // (EM_BROKER_MAX_DEVICES_PER_AGENT): such an agent would lose most of its readings, quietly.
  .refine((env) => (env.EM_AGENT_PLUGS ?? []).length <= DEFAULT_MAX_DEVICES_PER_AGENT, {
    message: `EM_AGENT_PLUGS lists more than ${DEFAULT_MAX_DEVICES_PER_AGENT} plugs, the broker's limit of devices per agent: split them across agents`,
  })
  // Plugs of one poll are read in parallel and the poll waits for the slowest: a timeout as long as
  // the sample interval would let one hanging plug cost every plug its next samples.
  .refine((env) => env.EM_AGENT_PLUG_TIMEOUT_MS === undefined || env.EM_AGENT_PLUG_TIMEOUT_MS < env.EM_AGENT_SAMPLE_INTERVAL_MS, {
    message: 'EM_AGENT_PLUG_TIMEOUT_MS must be shorter than EM_AGENT_SAMPLE_INTERVAL_MS',
  })
  .transform((env) => ({
    brokerUrl: env.EM_AGENT_BROKER_URL,
    householdId: env.EM_AGENT_HOUSEHOLD_ID,
    agentId: env.EM_AGENT_ID,
    // The broker authenticates username = agent id, so a password alone implies that username.
    username: env.EM_AGENT_USERNAME ?? (env.EM_AGENT_PASSWORD === undefined ? undefined : env.EM_AGENT_ID),
    password: env.EM_AGENT_PASSWORD,
    source: env.EM_AGENT_SOURCE,
    plugs: env.EM_AGENT_PLUGS ?? [],
    plugTimeoutMs: env.EM_AGENT_PLUG_TIMEOUT_MS ?? Math.max(1, Math.min(2000, Math.floor(env.EM_AGENT_SAMPLE_INTERVAL_MS / 2))),
    simulatedDevices: env.EM_AGENT_DEVICES,
    simulatedSeed: env.EM_AGENT_SEED,
    publishIntervalMs: env.EM_AGENT_PUBLISH_INTERVAL_MS,
    sampleIntervalMs: env.EM_AGENT_SAMPLE_INTERVAL_MS,
    maxInFlight: env.EM_AGENT_MAX_IN_FLIGHT,
    containerLimits: { ...DEFAULT_VALIDATION_LIMITS, maxMeasurementsPerContainer: env.EM_AGENT_MAX_MEASUREMENTS_PER_CONTAINER },
    outboxMaxEntries: env.EM_AGENT_OUTBOX_MAX_ENTRIES,
    outboxFlushTimeoutMs: env.EM_AGENT_OUTBOX_FLUSH_TIMEOUT_MS,
    dataDir: env.EM_AGENT_DATA_DIR,
    metricsPort: env.EM_AGENT_METRICS_PORT,
  }));

export type AgentConfig = z.infer<typeof schema>;

export function loadAgentConfig(env: Readonly<Record<string, string | undefined>> = process.env): Readonly<AgentConfig> {
  return loadConfig(schema, env);
}
