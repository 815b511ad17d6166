// Broker configuration from EM_BROKER_* environment variables, validated once and frozen.
import { z } from 'zod';
import { booleanFlag, hostSchema, loadConfig, portSchema, positiveInt, timerMsSchema } from '../lib/config/load-config.js';
import { DEFAULT_FLUSH_TIMEOUT_MS } from '../lib/journal/flush-time-limit.js';
import { deadLetterMaxBytes, deadLetterMaxPayloadBytes, requirePayloadWithinBudget } from '../lib/dead-letter/dead-letter-config.js';
import { LONGEST_AGENT_TOPIC } from '../proto/topics.js';
import { authConfig, authEnvSchema, requireAuthSettings } from './auth-config.js';
import { DEFAULT_MAX_DEVICES_PER_AGENT } from './agent-device-bound.js';
import { DEFAULT_VALIDATION_LIMITS } from './validate-container.js';

const nonNegativeInt = z.coerce.number().int().min(0);

/** The per-agent limits' defaults, and why each is far from what a real agent does. */
export const DEFAULT_AGENT_LIMITS = Object.freeze({
  // 20× the fastest an agent publishes: one container per EM_AGENT_PUBLISH_INTERVAL_MS, at least
  // 1 s (more only past 1000 readings an interval). Its outbox backlog (at most 10,080 containers,
  // a week of 1-minute ones) drains in (10,080 − 600) ÷ 20 ≈ 8 minutes.
  publishesPerS: 20,
  // Sent without waiting after an idle half minute: a 10-minute outage of a 1-s agent.
  burst: 600,
  // Each reading is a point InfluxDB stores; the publishes pace alone lets 20 × 1,000 a second
  // through. A real agent sends its plugs (at most 256) × the quantities each reports (a Shelly:
  // up to 5) every sample interval (default 5 s): 256 a second, 1,280 at a 1-s interval. A week's
  // backlog of 30-reading containers (302,400 readings) drains in 2.5 minutes at this pace, inside
  // the publishes pace's 8. So it holds back no real agent, and one agent writes at most 2,000
  // points a second, a household's 16 agents 32,000.
  readingsPerS: 2_000,
  // Half a minute at that rate, sent without waiting after an idle half minute.
  readingsBurst: 60_000,
  maxDevicesPerAgent: DEFAULT_MAX_DEVICES_PER_AGENT,
  devicesWindowMs: 24 * 60 * 60 * 1000,
});

const schema = z
  .object({
    EM_BROKER_HOST: hostSchema,
    EM_BROKER_MQTT_PORT: portSchema.default(1883),
    EM_BROKER_WS_PORT: portSchema.default(8083),
    EM_BROKER_METRICS_PORT: portSchema.default(9101),
    EM_BROKER_JOURNAL_PATH: z.string().min(1).default('.data/journal'),
    EM_BROKER_DEAD_LETTER_PATH: z.string().min(1).default('.data/broker-dead-letters'),
    // The dead-letter store shares the journal's disk by default: bounded, oldest evicted (docs/dead-letters.md).
    EM_BROKER_DEAD_LETTER_MAX_BYTES: deadLetterMaxBytes,
    EM_BROKER_DEAD_LETTER_MAX_PAYLOAD_BYTES: deadLetterMaxPayloadBytes,
    EM_BROKER_JOURNAL_DURABLE: booleanFlag.default(true),
    // How long a journal commit (and a dead letter) may wait for the disk to confirm its flush; past
    // it the appends are refused and the broker stops, to be started again (journal-flush-watch.ts).
    EM_BROKER_JOURNAL_FLUSH_TIMEOUT_MS: timerMsSchema.default(DEFAULT_FLUSH_TIMEOUT_MS),
    EM_BROKER_FORWARD_BEFORE_JOURNAL: booleanFlag.default(true),
    // Readings publishes over TCP taken before Aedes parses them (broker/readings-fast-path.ts).
    EM_BROKER_READINGS_FAST_PATH: booleanFlag.default(true),
    EM_BROKER_MAX_PACKET_BYTES: positiveInt.default(256 * 1024),
    EM_BROKER_MAX_BUFFERED_BYTES_PER_CONNECTION: positiveInt.default(64 * 1024),
    // Outgoing bytes a connection may queue before Aedes waits for it to drain (guarded-connection.ts).
    EM_BROKER_MAX_OUTGOING_BYTES_PER_CONNECTION: positiveInt.default(1024 * 1024),
    // A subscriber whose outgoing bytes stay at that cap this long is disconnected (Aedes'
    // drainTimeout): until then Aedes' deliveries to everyone wait on it (broker/live-forward.ts).
    EM_BROKER_SLOW_CONSUMER_TIMEOUT_MS: positiveInt.max(60_000).default(1000),
    // QoS 1/2 messages kept per persistent session (CleanSession 0) until acknowledged
    // (broker/session-queue-bound.ts); Mosquitto's default is the same.
    EM_BROKER_MAX_QUEUED_MESSAGES_PER_SESSION: positiveInt.default(1000),
    // Backpressure (broker/journal-backpressure.ts): hold PUBACKs above the high-water mark until
    // the journal drains below the low-water mark. 2M entries of ~470 B ≈ 1 GB of disk.
    EM_BROKER_JOURNAL_HIGH_WATER_ENTRIES: positiveInt.default(2_000_000),
    EM_BROKER_JOURNAL_LOW_WATER_ENTRIES: positiveInt.optional(),
    // A timer's interval: Node fires a longer one after 1 ms, which would poll in a busy loop.
    EM_BROKER_JOURNAL_DEPTH_POLL_MS: timerMsSchema.default(200),
    EM_BROKER_MAX_CONTAINER_BYTES: positiveInt.default(DEFAULT_VALIDATION_LIMITS.maxContainerBytes),
    EM_BROKER_MAX_MEASUREMENTS_PER_CONTAINER: positiveInt.default(DEFAULT_VALIDATION_LIMITS.maxMeasurementsPerContainer),
    EM_BROKER_MAX_DEVICE_ID_CHARS: positiveInt.default(DEFAULT_VALIDATION_LIMITS.maxDeviceIdChars),
    EM_BROKER_MAX_READING_AGE_MS: positiveInt.default(DEFAULT_VALIDATION_LIMITS.maxReadingAgeMs),
    EM_BROKER_MAX_FUTURE_SKEW_MS: positiveInt.default(DEFAULT_VALIDATION_LIMITS.maxFutureSkewMs),
    // Per-agent limits (broker/README.md, "Per-agent limits"): far above what an agent sends (one
    // container per interval of at least 1 s, 30 devices), so only a broken or hostile one meets
    // them. 0 disables either.
    EM_BROKER_AGENT_PUBLISHES_PER_S: nonNegativeInt.default(DEFAULT_AGENT_LIMITS.publishesPerS),
    EM_BROKER_AGENT_PUBLISH_BURST: positiveInt.default(DEFAULT_AGENT_LIMITS.burst),
    EM_BROKER_AGENT_READINGS_PER_S: nonNegativeInt.default(DEFAULT_AGENT_LIMITS.readingsPerS),
    EM_BROKER_AGENT_READINGS_BURST: positiveInt.default(DEFAULT_AGENT_LIMITS.readingsBurst),
    EM_BROKER_MAX_DEVICES_PER_AGENT: nonNegativeInt.default(DEFAULT_AGENT_LIMITS.maxDevicesPerAgent),
    EM_BROKER_AGENT_DEVICES_WINDOW_MS: positiveInt.default(DEFAULT_AGENT_LIMITS.devicesWindowMs),
    ...authEnvSchema,
  })
  .superRefine(requireAuthSettings)
  .superRefine(requireLowWaterBelowHighWater)
  .superRefine(requirePacketRoomForContainer)
  .superRefine(requirePayloadWithinBudget('EM_BROKER_DEAD_LETTER_MAX_BYTES', 'EM_BROKER_DEAD_LETTER_MAX_PAYLOAD_BYTES'))
  .transform((env) => ({
    host: env.EM_BROKER_HOST,
    mqttPort: env.EM_BROKER_MQTT_PORT,
    wsPort: env.EM_BROKER_WS_PORT,
    metricsPort: env.EM_BROKER_METRICS_PORT,
    journalPath: env.EM_BROKER_JOURNAL_PATH,
    deadLetterPath: env.EM_BROKER_DEAD_LETTER_PATH,
    deadLetterBudget: { maxBytes: env.EM_BROKER_DEAD_LETTER_MAX_BYTES, maxPayloadBytes: env.EM_BROKER_DEAD_LETTER_MAX_PAYLOAD_BYTES },
    journalDurable: env.EM_BROKER_JOURNAL_DURABLE,
    journalFlushTimeoutMs: env.EM_BROKER_JOURNAL_FLUSH_TIMEOUT_MS,
    forwardBeforeJournal: env.EM_BROKER_FORWARD_BEFORE_JOURNAL,
    readingsFastPath: env.EM_BROKER_READINGS_FAST_PATH,
    maxPacketBytes: env.EM_BROKER_MAX_PACKET_BYTES,
    maxBufferedBytesPerConnection: env.EM_BROKER_MAX_BUFFERED_BYTES_PER_CONNECTION,
    maxOutgoingBytesPerConnection: env.EM_BROKER_MAX_OUTGOING_BYTES_PER_CONNECTION,
    slowConsumerTimeoutMs: env.EM_BROKER_SLOW_CONSUMER_TIMEOUT_MS,
    maxQueuedMessagesPerSession: env.EM_BROKER_MAX_QUEUED_MESSAGES_PER_SESSION,
    backpressure: {
      highWaterEntries: env.EM_BROKER_JOURNAL_HIGH_WATER_ENTRIES,
      lowWaterEntries: env.EM_BROKER_JOURNAL_LOW_WATER_ENTRIES ?? Math.floor(env.EM_BROKER_JOURNAL_HIGH_WATER_ENTRIES * 0.9),
      pollMs: env.EM_BROKER_JOURNAL_DEPTH_POLL_MS,
    },
    limits: {
      maxContainerBytes: env.EM_BROKER_MAX_CONTAINER_BYTES,
      maxMeasurementsPerContainer: env.EM_BROKER_MAX_MEASUREMENTS_PER_CONTAINER,
      maxDeviceIdChars: env.EM_BROKER_MAX_DEVICE_ID_CHARS,
      maxReadingAgeMs: env.EM_BROKER_MAX_READING_AGE_MS,
      maxFutureSkewMs: env.EM_BROKER_MAX_FUTURE_SKEW_MS,
    },
    publishPace: {
      publishesPerS: env.EM_BROKER_AGENT_PUBLISHES_PER_S,
      burst: env.EM_BROKER_AGENT_PUBLISH_BURST,
      readingsPerS: env.EM_BROKER_AGENT_READINGS_PER_S,
      readingsBurst: env.EM_BROKER_AGENT_READINGS_BURST,
    },
    deviceBound: { maxDevicesPerAgent: env.EM_BROKER_MAX_DEVICES_PER_AGENT, windowMs: env.EM_BROKER_AGENT_DEVICES_WINDOW_MS },
    auth: authConfig(env),
  }));

// A config error naming both variables, instead of journal-backpressure.ts throwing at start.
function requireLowWaterBelowHighWater(
  env: { EM_BROKER_JOURNAL_HIGH_WATER_ENTRIES: number; EM_BROKER_JOURNAL_LOW_WATER_ENTRIES?: number | undefined },
  ctx: z.RefinementCtx,
): void {
  const low = env.EM_BROKER_JOURNAL_LOW_WATER_ENTRIES;
  if (low !== undefined && low >= env.EM_BROKER_JOURNAL_HIGH_WATER_ENTRIES) {
    ctx.addIssue({
      code: 'custom',
      path: ['EM_BROKER_JOURNAL_LOW_WATER_ENTRIES'],
      message: `must be below EM_BROKER_JOURNAL_HIGH_WATER_ENTRIES (${env.EM_BROKER_JOURNAL_HIGH_WATER_ENTRIES}), got ${low}`,
    });
  }
}

/** A QoS 1 readings PUBLISH's Remaining Length beyond its payload: topic length, topic, packet identifier [MQTT-3.3.2]. */
const READINGS_PUBLISH_OVERHEAD_BYTES = 2 + LONGEST_AGENT_TOPIC + 2;

// A container the broker would accept in a packet it refuses closes the agent's connection without
// a PUBACK, and the agent resends its oldest container first: that one would block every later one.
function requirePacketRoomForContainer(env: { EM_BROKER_MAX_PACKET_BYTES: number; EM_BROKER_MAX_CONTAINER_BYTES: number }, ctx: z.RefinementCtx): void {
  const needed = env.EM_BROKER_MAX_CONTAINER_BYTES + READINGS_PUBLISH_OVERHEAD_BYTES;
  if (env.EM_BROKER_MAX_PACKET_BYTES < needed) {
    ctx.addIssue({
      code: 'custom',
      path: ['EM_BROKER_MAX_PACKET_BYTES'],
      message:
        `must hold a readings publish of the largest container: at least EM_BROKER_MAX_CONTAINER_BYTES ` +
        `(${env.EM_BROKER_MAX_CONTAINER_BYTES}) + ${READINGS_PUBLISH_OVERHEAD_BYTES} = ${needed}, got ${env.EM_BROKER_MAX_PACKET_BYTES}`,
    });
  }
}

export type BrokerConfig = z.infer<typeof schema>;

export function loadBrokerConfig(env: Readonly<Record<string, string | undefined>> = process.env): Readonly<BrokerConfig> {
  return loadConfig(schema, env);
}
