// Read-service configuration from EM_READ_* environment variables, validated once and frozen.
import { z } from 'zod';
import { DEFAULT_VALIDATION_LIMITS } from '../../broker/validate-container.js';
import { booleanFlag, hostSchema, loadConfig, portSchema, positiveInt, timerMsSchema, timerOrZeroMsSchema } from '../../lib/config/load-config.js';
import { parseDuration } from './domain/durations.js';

const duration = (fallback: string) =>
  z
    .string()
    .default(fallback)
    .refine((v) => parseDuration(v) !== undefined, 'a duration such as 30d, 52w, 12h or INF')
    .transform((v) => parseDuration(v) ?? 0);
const optionalText = z.string().min(1).optional();

const schema = z
  .object({
    EM_READ_HOST: hostSchema,
    EM_READ_PORT: portSchema.default(8082),
    EM_READ_METRICS_PORT: portSchema.default(9104),
    EM_READ_INFLUX_URL: z.url().default('http://127.0.0.1:8086'),
    EM_READ_INFLUX_DB: z.string().regex(/^[A-Za-z_][A-Za-z0-9_-]*$/).default('energymonitor'),
    EM_READ_INFLUX_USERNAME: optionalText,
    EM_READ_INFLUX_PASSWORD: optionalText,
    // This and the other *_MS waited for with timers: Node fires a longer timer after 1 ms.
    EM_READ_INFLUX_TIMEOUT_MS: timerMsSchema.default(10_000),
    EM_READ_INFLUX_GZIP: booleanFlag.default(false),
    EM_READ_DATABASE_URL: z.string().min(1).default('postgres://127.0.0.1:5432/energymonitor'),
    EM_READ_AUTH_ISSUER: z.string().min(1).default('http://127.0.0.1:8081'),
    EM_READ_AUTH_AUDIENCE: z.string().min(1).default('energymonitor'),
    EM_READ_AUTH_JWKS_URL: z.url().default('http://127.0.0.1:8081/.well-known/jwks.json'),
    EM_READ_MQTT_URL: z.string().min(1).default('mqtt://127.0.0.1:1883'),
    EM_READ_MQTT_USERNAME: optionalText,
    EM_READ_MQTT_PASSWORD: optionalText,
    // With a service client, the MQTT password is a fresh client-credentials access token (username `token`).
    EM_READ_CLIENT_ID: optionalText,
    EM_READ_CLIENT_SECRET: optionalText,
    EM_READ_AUTH_TOKEN_URL: z.url().optional(),
    EM_READ_RAW_RETENTION: duration('30d'),
    EM_READ_ROLLUP_1M_RETENTION: duration('52w'),
    EM_READ_ROLLUP_1H_RETENTION: duration('520w'),
    EM_READ_RECONCILE_INTERVAL_MS: timerMsSchema.default(300_000),
    EM_READ_RECONCILE_LOOKBACK: duration('2d'),
    // Hours the write service marked as having received late readings are repaired this often.
    EM_READ_LATE_MARKS_POLL_MS: timerMsSchema.default(15_000),
    // Late data older than the lookback is looked for, a day per pass, back to this age: how old a
    // reading the broker accepts (its EM_BROKER_MAX_READING_AGE_MS; domain/late-sweep.ts).
    EM_READ_RECONCILE_LATE_WINDOW: duration(`${DEFAULT_VALIDATION_LIMITS.maxReadingAgeMs / 3_600_000}h`).refine(Number.isFinite, 'a finite duration (the broker accepts readings up to a bounded age)'),
    EM_READ_SSE_BUFFER_BYTES: positiveInt.default(256 * 1024),
    EM_READ_SSE_HEARTBEAT_MS: timerMsSchema.default(15_000),
    EM_READ_SSE_RING_EVENTS: positiveInt.default(512),
    EM_READ_SSE_RESUME_WINDOW_MS: positiveInt.default(300_000),
    EM_READ_SSE_LINGER_MS: timerOrZeroMsSchema.default(30_000),
    // How long a member removed from a household can keep watching its open live stream at most.
    // Each check is one PostgreSQL lookup per viewer (user) with streams open, whatever their number.
    EM_READ_SSE_MEMBERSHIP_RECHECK_MS: positiveInt
      .min(100, 'must be at least 100 ms: each check is a PostgreSQL lookup per viewer')
      .max(600_000, 'must be at most 600000 ms (10 min): a removed member keeps watching that long')
      .default(10_000),
    // Live streams one viewer may hold open at once (live/stream-quota.ts); one more gets 429.
    EM_READ_SSE_MAX_STREAMS_PER_VIEWER: positiveInt.max(1_000_000).default(32),
    EM_READ_ONLINE_WINDOW_MS: positiveInt.default(120_000),
    EM_READ_MAX_POINTS: positiveInt.default(1_500),
    EM_READ_MAX_EXPLICIT_POINTS: positiveInt.default(10_000),
    // Final history kept in memory (domain/chunk-cache.ts; 0 = off): energy counters in weekly
    // chunks (five devices: about 70 KB each), power in hourly chunks (five devices at 1 min: ~25 KB).
    EM_READ_CACHE_COUNTER_CHUNKS: z.coerce.number().int().min(0).default(1_000),
    EM_READ_CACHE_POWER_CHUNKS: z.coerce.number().int().min(0).default(4_000),
    EM_READ_CACHE_TTL_MS: positiveInt.default(3_600_000),
  })
  .transform((env) => ({
    host: env.EM_READ_HOST,
    port: env.EM_READ_PORT,
    metricsPort: env.EM_READ_METRICS_PORT,
    influx: {
      url: env.EM_READ_INFLUX_URL.replace(/\/$/, ''),
      database: env.EM_READ_INFLUX_DB,
      username: env.EM_READ_INFLUX_USERNAME,
      password: env.EM_READ_INFLUX_PASSWORD,
      timeoutMs: env.EM_READ_INFLUX_TIMEOUT_MS,
      compressResponses: env.EM_READ_INFLUX_GZIP,
    },
    databaseUrl: env.EM_READ_DATABASE_URL,
    auth: { issuer: env.EM_READ_AUTH_ISSUER, audience: env.EM_READ_AUTH_AUDIENCE, jwksUrl: env.EM_READ_AUTH_JWKS_URL },
    mqtt: { url: env.EM_READ_MQTT_URL, username: env.EM_READ_MQTT_USERNAME, password: env.EM_READ_MQTT_PASSWORD },
    serviceClient:
      env.EM_READ_CLIENT_ID === undefined || env.EM_READ_CLIENT_SECRET === undefined
        ? undefined
        : { clientId: env.EM_READ_CLIENT_ID, clientSecret: env.EM_READ_CLIENT_SECRET, tokenUrl: env.EM_READ_AUTH_TOKEN_URL ?? `${env.EM_READ_AUTH_ISSUER.replace(/\/$/, '')}/oauth/token` },
    retention: { rawMs: env.EM_READ_RAW_RETENTION, rollup1mMs: env.EM_READ_ROLLUP_1M_RETENTION, rollup1hMs: env.EM_READ_ROLLUP_1H_RETENTION },
    reconcile: { intervalMs: env.EM_READ_RECONCILE_INTERVAL_MS, lookbackMs: env.EM_READ_RECONCILE_LOOKBACK, lateWindowMs: env.EM_READ_RECONCILE_LATE_WINDOW, marksPollMs: env.EM_READ_LATE_MARKS_POLL_MS },
    sse: {
      bufferBytes: env.EM_READ_SSE_BUFFER_BYTES,
      heartbeatMs: env.EM_READ_SSE_HEARTBEAT_MS,
      ringEvents: env.EM_READ_SSE_RING_EVENTS,
      lingerMs: env.EM_READ_SSE_LINGER_MS,
      resumeWindowMs: env.EM_READ_SSE_RESUME_WINDOW_MS,
      membershipRecheckMs: env.EM_READ_SSE_MEMBERSHIP_RECHECK_MS,
      maxStreamsPerViewer: env.EM_READ_SSE_MAX_STREAMS_PER_VIEWER,
    },
    onlineWindowMs: env.EM_READ_ONLINE_WINDOW_MS,
    maxPoints: env.EM_READ_MAX_POINTS,
    maxExplicitPoints: env.EM_READ_MAX_EXPLICIT_POINTS,
    historyCache: { counterChunks: env.EM_READ_CACHE_COUNTER_CHUNKS, powerChunks: env.EM_READ_CACHE_POWER_CHUNKS, ttlMs: env.EM_READ_CACHE_TTL_MS },
  }));

export type ReadConfig = z.infer<typeof schema>;

export function loadReadConfig(env: Readonly<Record<string, string | undefined>> = process.env): Readonly<ReadConfig> {
  return loadConfig(schema, env);
}

export function describeConfig(config: Readonly<ReadConfig>): Record<string, unknown> {
  const mask = (v: string | undefined): string | undefined => (v === undefined ? undefined : '***');
  return {
    ...config,
    databaseUrl: config.databaseUrl.replace(/\/\/[^@/]*@/, '//***@'),
    influx: { ...config.influx, password: mask(config.influx.password) },
    mqtt: { ...config.mqtt, password: mask(config.mqtt.password) },
    serviceClient: config.serviceClient === undefined ? undefined : { ...config.serviceClient, clientSecret: '***' },
  };
}
