// Alerts-service configuration from EM_ALERTS_* environment variables, validated once and frozen.
import { z } from 'zod';
import { booleanFlag, hostSchema, loadConfig, portSchema, positiveInt, timerMsSchema } from '../../lib/config/load-config.js';

const optionalText = z.string().min(1).optional();

const schema = z
  .object({
    EM_ALERTS_HOST: hostSchema,
    EM_ALERTS_PORT: portSchema.default(8084),
    EM_ALERTS_METRICS_PORT: portSchema.default(9107),
    EM_ALERTS_DATABASE_URL: z.string().min(1).default('postgres://127.0.0.1:5432/energymonitor'),
    EM_ALERTS_INFLUX_URL: z.url().default('http://127.0.0.1:8086'),
    EM_ALERTS_INFLUX_DB: z.string().regex(/^[A-Za-z_][A-Za-z0-9_-]*$/).default('energymonitor'),
    EM_ALERTS_INFLUX_USERNAME: optionalText,
    EM_ALERTS_INFLUX_PASSWORD: optionalText,
    // Timeouts and intervals below that run on Node timers are timerMsSchema: a longer one fires
    // after 1 ms (a busy loop, or every request timed out at once).
    EM_ALERTS_INFLUX_TIMEOUT_MS: timerMsSchema.default(10_000),
    EM_ALERTS_AUTH_ISSUER: z.string().min(1).default('http://127.0.0.1:8081'),
    EM_ALERTS_AUTH_AUDIENCE: z.string().min(1).default('energymonitor'),
    EM_ALERTS_AUTH_JWKS_URL: z.url().default('http://127.0.0.1:8081/.well-known/jwks.json'),
    EM_ALERTS_MQTT_URL: z.string().min(1).default('mqtt://127.0.0.1:1883'),
    EM_ALERTS_MQTT_USERNAME: optionalText,
    EM_ALERTS_MQTT_PASSWORD: optionalText,
    // With a service client, the MQTT password is a fresh client-credentials access token (username `token`).
    EM_ALERTS_CLIENT_ID: optionalText,
    EM_ALERTS_CLIENT_SECRET: optionalText,
    EM_ALERTS_AUTH_TOKEN_URL: z.url().optional(),
    // How often time-based conditions (silence, duration, local midnight) are checked.
    EM_ALERTS_TICK_MS: timerMsSchema.default(1_000),
    // Rules changed by another replica (or in SQL) are picked up this often; this process's own API
    // changes apply at once.
    EM_ALERTS_RULES_REFRESH_MS: timerMsSchema.default(10_000),
    // A device's power reading older than this no longer counts towards power-above.
    EM_ALERTS_POWER_STALE_MS: positiveInt.default(300_000),
    // Warm start: how far back InfluxDB is asked when each device was last heard.
    EM_ALERTS_LAST_SEEN_LOOKBACK_MS: positiveInt.default(7 * 86_400_000),
    EM_ALERTS_WEBHOOK_TIMEOUT_MS: timerMsSchema.default(5_000),
    EM_ALERTS_WEBHOOK_MAX_ATTEMPTS: positiveInt.default(10),
    EM_ALERTS_WEBHOOK_BACKOFF_MS: positiveInt.default(2_000),
    EM_ALERTS_WEBHOOK_MAX_BACKOFF_MS: positiveInt.default(3_600_000),
    EM_ALERTS_WEBHOOK_POLL_MS: timerMsSchema.default(1_000),
    EM_ALERTS_WEBHOOK_CONCURRENCY: positiveInt.default(8),
    // Webhooks to loopback/private addresses reach our own internals (InfluxDB executes a POSTed
    // /query?q=…): refused unless allowed (tests, LAN-only installs).
    EM_ALERTS_WEBHOOK_ALLOW_PRIVATE: booleanFlag.default(false),
    // Delivered and given-up webhook events are deleted after this long.
    EM_ALERTS_OUTBOX_RETENTION_MS: positiveInt.default(7 * 86_400_000),
    EM_ALERTS_MAX_RULES_PER_HOUSEHOLD: positiveInt.default(50),
  })
  .transform((env) => ({
    host: env.EM_ALERTS_HOST,
    port: env.EM_ALERTS_PORT,
    metricsPort: env.EM_ALERTS_METRICS_PORT,
    databaseUrl: env.EM_ALERTS_DATABASE_URL,
    influx: {
      url: env.EM_ALERTS_INFLUX_URL.replace(/\/$/, ''),
      database: env.EM_ALERTS_INFLUX_DB,
      username: env.EM_ALERTS_INFLUX_USERNAME,
      password: env.EM_ALERTS_INFLUX_PASSWORD,
      timeoutMs: env.EM_ALERTS_INFLUX_TIMEOUT_MS,
    },
    auth: { issuer: env.EM_ALERTS_AUTH_ISSUER, audience: env.EM_ALERTS_AUTH_AUDIENCE, jwksUrl: env.EM_ALERTS_AUTH_JWKS_URL },
    mqtt: { url: env.EM_ALERTS_MQTT_URL, username: env.EM_ALERTS_MQTT_USERNAME, password: env.EM_ALERTS_MQTT_PASSWORD },
    serviceClient:
      env.EM_ALERTS_CLIENT_ID === undefined || env.EM_ALERTS_CLIENT_SECRET === undefined
        ? undefined
        : {
            clientId: env.EM_ALERTS_CLIENT_ID,
            clientSecret: env.EM_ALERTS_CLIENT_SECRET,
            tokenUrl: env.EM_ALERTS_AUTH_TOKEN_URL ?? `${env.EM_ALERTS_AUTH_ISSUER.replace(/\/$/, '')}/oauth/token`,
          },
    evaluation: {
      tickMs: env.EM_ALERTS_TICK_MS,
      rulesRefreshMs: env.EM_ALERTS_RULES_REFRESH_MS,
      powerStaleMs: env.EM_ALERTS_POWER_STALE_MS,
      lastSeenLookbackMs: env.EM_ALERTS_LAST_SEEN_LOOKBACK_MS,
    },
    webhook: {
      timeoutMs: env.EM_ALERTS_WEBHOOK_TIMEOUT_MS,
      maxAttempts: env.EM_ALERTS_WEBHOOK_MAX_ATTEMPTS,
      backoffMs: env.EM_ALERTS_WEBHOOK_BACKOFF_MS,
      maxBackoffMs: env.EM_ALERTS_WEBHOOK_MAX_BACKOFF_MS,
      pollMs: env.EM_ALERTS_WEBHOOK_POLL_MS,
      concurrency: env.EM_ALERTS_WEBHOOK_CONCURRENCY,
      retentionMs: env.EM_ALERTS_OUTBOX_RETENTION_MS,
      allowPrivate: env.EM_ALERTS_WEBHOOK_ALLOW_PRIVATE,
    },
    maxRulesPerHousehold: env.EM_ALERTS_MAX_RULES_PER_HOUSEHOLD,
  }));

export type AlertsConfig = z.infer<typeof schema>;

export function loadAlertsConfig(env: Readonly<Record<string, string | undefined>> = process.env): Readonly<AlertsConfig> {
  return loadConfig(schema, env);
}

export function describeConfig(config: Readonly<AlertsConfig>): Record<string, unknown> {
  const mask = (v: string | undefined): string | undefined => (v === undefined ? undefined : '***');
  return {
    ...config,
    databaseUrl: config.databaseUrl.replace(/\/\/[^@/]*@/, '//***@'),
    influx: { ...config.influx, password: mask(config.influx.password) },
    mqtt: { ...config.mqtt, password: mask(config.mqtt.password) },
    serviceClient: config.serviceClient === undefined ? undefined : { ...config.serviceClient, clientSecret: '***' },
  };
}
