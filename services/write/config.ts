// Write-service configuration from EM_WRITE_* environment variables, validated once and frozen.
import { z } from 'zod';
import { booleanFlag, hostSchema, loadConfig, portSchema, positiveInt, timerMsSchema, timerOrZeroMsSchema } from '../../lib/config/load-config.js';
import { DEFAULT_FLUSH_TIMEOUT_MS } from '../../lib/journal/flush-time-limit.js';
import { deadLetterMaxBytes, deadLetterMaxPayloadBytes, requirePayloadWithinBudget } from '../../lib/dead-letter/dead-letter-config.js';

function hasNoCredentials(url: string): boolean {
  // Runs even when z.url() already failed (zod 4 keeps checking), so parse defensively.
  if (!URL.canParse(url)) return true;
  const parsed = new URL(url);
  return parsed.username === '' && parsed.password === '';
}

/** True for an http(s) URL whose host is this machine: localhost, 127.0.0.0/8 or ::1. */
export function isLoopbackUrl(url: string): boolean {
  const host = new URL(url).hostname;
  return host === 'localhost' || host === '[::1]' || /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(host);
}

const optionalText = z.string().min(1).optional();

const schema = z
  .object({
    // http: or https: only: node:http(s) throws ERR_INVALID_PROTOCOL on anything else, at the
    // first write instead of at start. No credentials in it: node:http would send them as Basic
    // auth, but the URL is logged unmasked (describeConfig); they go in USERNAME/PASSWORD or TOKEN.
    EM_WRITE_INFLUX_URL: z
      .url({ protocol: /^https?$/, error: 'must be an http: or https: URL' })
      .refine(hasNoCredentials, 'put credentials in EM_WRITE_INFLUX_USERNAME/PASSWORD or _TOKEN, not in the URL')
      .default('http://127.0.0.1:8086'),
    EM_WRITE_INFLUX_DB: z.string().min(1).default('energymonitor'),
    EM_WRITE_INFLUX_RP: optionalText,
    EM_WRITE_INFLUX_USERNAME: optionalText,
    EM_WRITE_INFLUX_PASSWORD: optionalText,
    EM_WRITE_INFLUX_TOKEN: optionalText,
    EM_WRITE_JOURNAL_PATH: z.string().min(1).default('.data/journal'),
    // How long a removal from the journal (and a dead letter) may wait for the disk to confirm its
    // flush before it fails and the batch is retried (lib/journal/flush-time-limit.ts).
    EM_WRITE_JOURNAL_FLUSH_TIMEOUT_MS: timerMsSchema.default(DEFAULT_FLUSH_TIMEOUT_MS),
    EM_WRITE_DEAD_LETTER_PATH: z.string().min(1).default('.data/write-dead-letters'),
    // Bounded, oldest evicted: here a letter is the only copy of a refused reading (docs/dead-letters.md).
    EM_WRITE_DEAD_LETTER_MAX_BYTES: deadLetterMaxBytes,
    EM_WRITE_DEAD_LETTER_MAX_PAYLOAD_BYTES: deadLetterMaxPayloadBytes,
    EM_WRITE_MAX_BATCH_LINES: positiveInt.default(5000),
    // Waited for with timers (as are the poll interval and the request timeout): Node fires a longer
    // timer after 1 ms, which would poll the journal in a busy loop and time every request out.
    EM_WRITE_LINGER_MS: timerOrZeroMsSchema.default(50),
    // auto: gzip bodies unless InfluxDB is on this host. Compression trades CPU for network bytes
    // (level 1 shrinks our lines 6–7×); over loopback there are no bytes to save, and the CPU is
    // shared with InfluxDB, which must inflate every body again (docs/benchmarks.md, "Sixth look").
    EM_WRITE_GZIP: z.union([z.literal('auto'), booleanFlag]).default('auto'),
    // 4, as the raw-ingest benchmark posts: InfluxDB handles concurrent writes in parallel. On two
    // shared cores the pipeline landed 218–272k points/s with 2, 261–318k with 4 (docs/benchmarks.md,
    // "Sixth look"); memory is one body per request (about 0.5 MB at 5,000 lines).
    EM_WRITE_MAX_REQUESTS_IN_FLIGHT: positiveInt.default(4),
    EM_WRITE_POLL_INTERVAL_MS: timerMsSchema.default(20),
    EM_WRITE_REQUEST_TIMEOUT_MS: timerMsSchema.default(10_000),
    EM_WRITE_HOST: hostSchema,
    EM_WRITE_METRICS_PORT: portSchema.default(9102),
  })
  .superRefine(requirePayloadWithinBudget('EM_WRITE_DEAD_LETTER_MAX_BYTES', 'EM_WRITE_DEAD_LETTER_MAX_PAYLOAD_BYTES'))
  .transform((env) => ({
    influx: {
      url: env.EM_WRITE_INFLUX_URL,
      database: env.EM_WRITE_INFLUX_DB,
      retentionPolicy: env.EM_WRITE_INFLUX_RP,
      username: env.EM_WRITE_INFLUX_USERNAME,
      password: env.EM_WRITE_INFLUX_PASSWORD,
      token: env.EM_WRITE_INFLUX_TOKEN,
      gzip: env.EM_WRITE_GZIP === 'auto' ? !isLoopbackUrl(env.EM_WRITE_INFLUX_URL) : env.EM_WRITE_GZIP,
      requestTimeoutMs: env.EM_WRITE_REQUEST_TIMEOUT_MS,
    },
    journalPath: env.EM_WRITE_JOURNAL_PATH,
    journalFlushTimeoutMs: env.EM_WRITE_JOURNAL_FLUSH_TIMEOUT_MS,
    deadLetterPath: env.EM_WRITE_DEAD_LETTER_PATH,
    deadLetterBudget: { maxBytes: env.EM_WRITE_DEAD_LETTER_MAX_BYTES, maxPayloadBytes: env.EM_WRITE_DEAD_LETTER_MAX_PAYLOAD_BYTES },
    maxBatchLines: env.EM_WRITE_MAX_BATCH_LINES,
    lingerMs: env.EM_WRITE_LINGER_MS,
    maxRequestsInFlight: env.EM_WRITE_MAX_REQUESTS_IN_FLIGHT,
    pollIntervalMs: env.EM_WRITE_POLL_INTERVAL_MS,
    host: env.EM_WRITE_HOST,
    metricsPort: env.EM_WRITE_METRICS_PORT,
  }));

export type WriteConfig = z.infer<typeof schema>;

export function loadWriteConfig(env: Readonly<Record<string, string | undefined>> = process.env): Readonly<WriteConfig> {
  return loadConfig(schema, env);
}

/** The config for the start-up log line, credentials masked. */
export function describeConfig(config: Readonly<WriteConfig>): Record<string, unknown> {
  const mask = (value: string | undefined): string | undefined => (value === undefined ? undefined : '***');
  return { ...config, influx: { ...config.influx, password: mask(config.influx.password), token: mask(config.influx.token) } };
}
