// Command-line options of the PerfTest-style load tool, parsed once and validated with zod.
// Names follow RabbitMQ PerfTest where one exists (--producers = -x, --rate = -r, --size = -s,
// --time = -z); units are in the long names (--duration-s, --payload-bytes).
import { parseArgs } from 'node:util';
import { z } from 'zod';

export const MODES = ['broker-only', 'pipeline', 'influx-raw', 'compare-mosquitto', 'write-only'] as const;
export type Mode = (typeof MODES)[number];

const int = (min: number, max: number) => z.coerce.number().int().min(min).max(max);

const schema = z
  .object({
    mode: z.enum(MODES),
    agents: int(1, 20_000),
    connections: int(1, 20_000).optional(),
    rate: int(0, 1_000_000),
    readings: int(1, 1000),
    qos: z.coerce.number().pipe(z.union([z.literal(0), z.literal(1)])),
    payloadBytes: int(0, 60_000),
    durationS: z.coerce.number().positive().max(3600),
    warmupS: z.coerce.number().min(0).max(3600),
    window: int(1, 10_000),
    durable: z.enum(['true', 'false']).transform((v) => v === 'true'),
    batchLines: int(1, 100_000),
    requestsInFlight: int(1, 64),
    influxUrl: z.url().optional(),
    resultsDir: z.string().min(1),
    label: z.string().regex(/^[A-Za-z0-9_-]{1,40}$/, 'letters, digits, _ and - only').optional(),
  })
  .refine((o) => o.connections === undefined || o.connections <= o.agents, {
    message: 'connections cannot exceed agents (each connection carries at least one agent)',
    path: ['connections'],
  });

export interface PerftestOptions {
  readonly mode: Mode;
  /** Simulated agents (distinct agent ids); PerfTest's producers. */
  readonly agents: number;
  /** MQTT connections the agents are spread over (round-robin); defaults to one per agent. */
  readonly connections: number;
  /** Messages per second across all agents; 0 = as fast as acknowledgements come back. */
  readonly rate: number;
  readonly readings: number;
  readonly qos: 0 | 1;
  /** Pad each container to at least this many bytes (an unknown protobuf field); 0 = no padding. */
  readonly payloadBytes: number;
  readonly durationMs: number;
  /** Acks in the first `warmupMs` count in the whole-phase latency, not in the steady-state one. */
  readonly warmupMs: number;
  /** Unacknowledged QoS1 publishes per connection before it waits. */
  readonly window: number;
  /** Our broker's journal fsyncs before the PUBACK (EM_BROKER_JOURNAL_DURABLE). */
  readonly durable: boolean;
  readonly batchLines: number;
  readonly requestsInFlight: number;
  readonly influxUrl: string | undefined;
  readonly resultsDir: string;
  readonly label: string | undefined;
}

export const USAGE = `npm run perftest -- --mode ${MODES.join('|')} [options]
  -x, --agents N            simulated agents (producers; influx-raw: households)  default 10
  -c, --connections N       MQTT connections carrying them            default = agents
  -r, --rate N              messages/s in total, 0 = unlimited        default 1000
  -n, --readings N          readings per message                      default 11
  -q, --qos 0|1             MQTT QoS of the publishes                 default 1
  -s, --payload-bytes N     pad each message to at least N bytes      default 0
  -z, --duration-s S        length of the load phase                  default 10
      --warmup-s S          left out of the steady-state latency      default 2
      --window N            unacknowledged publishes per connection   default 16
      --durable true|false  broker journal fsync before PUBACK        default true
      --batch-lines N       influx-raw: lines per write request       default 5000
      --requests-in-flight  influx-raw: concurrent write requests     default 4
      --influx-url URL      use this InfluxDB instead of a private one
      --results-dir DIR     where JSON and SVG go                     default loadtest/results
      --label NAME          added to the result file names`;

const kebab = (name: string): string => name.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`);

export class OptionsError extends Error {
  override readonly name = 'OptionsError';
}

/** Parses argv (without node and script); throws OptionsError with every problem listed. */
export function parsePerftestOptions(argv: readonly string[]): PerftestOptions {
  let values: Record<string, string | undefined>;
  try {
    ({ values } = parseArgs({
      args: [...argv],
      strict: true,
      allowPositionals: false,
      options: {
        mode: { type: 'string', short: 'm' },
        agents: { type: 'string', short: 'x', default: '10' },
        producers: { type: 'string' },
        connections: { type: 'string', short: 'c' },
        rate: { type: 'string', short: 'r', default: '1000' },
        readings: { type: 'string', short: 'n', default: '11' },
        qos: { type: 'string', short: 'q', default: '1' },
        'payload-bytes': { type: 'string', short: 's', default: '0' },
        'duration-s': { type: 'string', short: 'z', default: '10' },
        'warmup-s': { type: 'string', default: '2' },
        window: { type: 'string', default: '16' },
        durable: { type: 'string', default: 'true' },
        'batch-lines': { type: 'string', default: '5000' },
        'requests-in-flight': { type: 'string', default: '4' },
        'influx-url': { type: 'string' },
        'results-dir': { type: 'string', default: 'loadtest/results' },
        label: { type: 'string' },
      },
    }));
  } catch (error) {
    throw new OptionsError((error as Error).message);
  }
  const parsed = schema.safeParse({
    mode: values.mode,
    agents: values.producers ?? values.agents,
    connections: values.connections,
    rate: values.rate,
    readings: values.readings,
    qos: values.qos,
    payloadBytes: values['payload-bytes'],
    durationS: values['duration-s'],
    warmupS: values['warmup-s'],
    window: values.window,
    durable: values.durable,
    batchLines: values['batch-lines'],
    requestsInFlight: values['requests-in-flight'],
    influxUrl: values['influx-url'],
    resultsDir: values['results-dir'],
    label: values.label,
  });
  if (!parsed.success) {
    throw new OptionsError(parsed.error.issues.map((issue) => `--${kebab(issue.path.join('.')) || 'options'}: ${issue.message}`).join('; '));
  }
  const o = parsed.data;
  return Object.freeze({
    mode: o.mode,
    agents: o.agents,
    connections: o.connections ?? o.agents,
    rate: o.rate,
    readings: o.readings,
    qos: o.qos,
    payloadBytes: o.payloadBytes,
    durationMs: Math.round(o.durationS * 1000),
    warmupMs: Math.round(o.warmupS * 1000),
    window: o.window,
    durable: o.durable,
    batchLines: o.batchLines,
    requestsInFlight: o.requestsInFlight,
    influxUrl: o.influxUrl,
    resultsDir: o.resultsDir,
    label: o.label,
  });
}
