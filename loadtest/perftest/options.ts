// Command-line options of the PerfTest-style load tool, parsed once and validated with zod.
// Names follow RabbitMQ PerfTest where one exists (--producers = -x, --rate = -r, --size = -s,
// --time = -z); units are in the long names (--duration-s, --payload-bytes).
import { parseArgs } from 'node:util';
import { z } from 'zod';

export const MODES = ['broker-only', 'pipeline', 'influx-raw', 'compare-mosquitto', 'write-only', 'connection-storm', 'live-fanout'] as const;
export type Mode = (typeof MODES)[number];

/** Brokers the connection storm can run against (loadtest/perftest/storm-targets.ts). */
export const STORM_TARGETS = ['ours', 'bare-aedes', 'mosquitto'] as const;
export type StormTargetName = (typeof STORM_TARGETS)[number];

/** Agents when --agents is not given: just under the 20,000 open files one broker process may hold. */
const DEFAULT_AGENTS: Readonly<Partial<Record<Mode, number>>> = { 'connection-storm': 19_000 };

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
    connectRate: int(0, 1_000_000),
    keepaliveS: int(1, 65_535),
    settleS: z.coerce.number().min(0).max(600),
    targets: z
      .string()
      .transform((v) => v.split(','))
      .pipe(z.array(z.enum(STORM_TARGETS)).min(1)),
    perProcess: int(100, 19_000),
    sourceAddresses: int(1, 250),
    brokerNodeOptions: z.string().max(500),
    viewers: int(1, 19_000),
    postgresUrl: z.url().optional(),
    watched: int(1, 19_000).optional(),
  })
  .refine((o) => o.connections === undefined || o.connections <= o.agents, {
    message: 'connections cannot exceed agents (each connection carries at least one agent)',
    path: ['connections'],
  })
  .refine((o) => o.mode !== 'live-fanout' || o.rate > 0, { message: 'live-fanout publishes at a set rate: give one above 0', path: ['rate'] })
  .refine((o) => (o.postgresUrl === undefined) === (o.influxUrl === undefined) || o.mode !== 'live-fanout', {
    message: 'live-fanout uses existing servers only with both --postgres-url and --influx-url',
    path: ['postgresUrl'],
  })
  .refine((o) => o.watched === undefined || (o.watched <= o.agents && o.watched <= o.viewers), {
    message: 'watched households cannot exceed agents (publishing households) or viewers',
    path: ['watched'],
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
  /** connection-storm: connections/s over all client processes; 0 = as fast as the broker answers. */
  readonly connectRate: number;
  /** connection-storm: MQTT keep-alive of each idle agent. */
  readonly keepaliveS: number;
  /** live-fanout: SSE streams held open against the read service (one viewer process). */
  readonly viewers: number;
  /** live-fanout: households that have viewers (viewers/watched each); the other agents publish unwatched. */
  readonly watched: number;
  /** live-fanout: an empty PostgreSQL database to use (with --influx-url) instead of private servers. */
  readonly postgresUrl: string | undefined;
  /** connection-storm: idle period after the last CONNACK over which CPU and RSS are measured. */
  readonly settleMs: number;
  /** connection-storm: brokers to storm, one after the other. */
  readonly targets: readonly StormTargetName[];
  /** connection-storm: connections per client process (each process may hold at most 20,000 files). */
  readonly perProcess: number;
  /** connection-storm: 127.0.0.x source addresses the connections are spread over. */
  readonly sourceAddresses: number;
  /** connection-storm: NODE_OPTIONS (V8 flags) for both Node brokers, '' for none. */
  readonly brokerNodeOptions: string;
}

export const USAGE = `npm run perftest -- --mode ${MODES.join('|')} [options]
  -x, --agents N            simulated agents (producers; influx-raw: households)  default 10
                            (connection-storm: idle agents, default 19000)
  -c, --connections N       MQTT connections carrying them            default = agents
  -r, --rate N              messages/s in total (influx-raw: points/s), 0 = unlimited  default 1000
  -n, --readings N          readings per message                      default 11
  -q, --qos 0|1             MQTT QoS of the publishes                 default 1
  -s, --payload-bytes N     pad each message to at least N bytes      default 0
  -z, --duration-s S        length of the load phase                  default 10
      --warmup-s S          left out of the steady-state latency      default 2
      --window N            unacknowledged publishes per connection   default 16
      --durable true|false  broker journal fsync before PUBACK        default true
      --batch-lines N       influx-raw: lines per write request (at most a tenth of a second of --rate)  default 5000
      --requests-in-flight  influx-raw: concurrent write requests     default 4
      --influx-url URL      use this InfluxDB instead of a private one
      --results-dir DIR     where JSON and SVG go                     default loadtest/results
      --label NAME          added to the result file names
  connection-storm (idle agents, one connection each, RSS and CPU per broker process):
      --target LIST         ours,bare-aedes,mosquitto (comma list)   default all three
      --connect-rate N      connections/s in total, 0 = as fast as it goes  default 0
      --keepalive-s S       MQTT keep-alive of each agent             default 60
      --settle-s S          idle period measured after connecting     default 30
      --per-process N       connections per client process            default 7000
      --source-addresses N  127.0.0.x source addresses used           default 10
      --broker-node-options="FLAGS"  NODE_OPTIONS (V8 flags) for both Node brokers (use the = form) default none
  live-fanout (broker + read service; agents publish at --rate, QoS1; stored = SSE events delivered):
      --viewers N           SSE streams held open                     default 1000
      --watched N           households with viewers (of the agents)   default min(agents, viewers)
      --postgres-url URL    an empty database to use, with --influx-url, instead of private servers`;

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
        agents: { type: 'string', short: 'x' },
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
        target: { type: 'string', default: STORM_TARGETS.join(',') },
        'connect-rate': { type: 'string', default: '0' },
        'keepalive-s': { type: 'string', default: '60' },
        'settle-s': { type: 'string', default: '30' },
        'per-process': { type: 'string', default: '7000' },
        'source-addresses': { type: 'string', default: '10' },
        'broker-node-options': { type: 'string', default: '' },
        viewers: { type: 'string', default: '1000' },
        watched: { type: 'string' },
        'postgres-url': { type: 'string' },
      },
    }));
  } catch (error) {
    throw new OptionsError((error as Error).message);
  }
  const parsed = schema.safeParse({
    mode: values.mode,
    agents: values.producers ?? values.agents ?? DEFAULT_AGENTS[values.mode as Mode] ?? 10,
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
    connectRate: values['connect-rate'],
    keepaliveS: values['keepalive-s'],
    settleS: values['settle-s'],
    targets: values.target,
    perProcess: values['per-process'],
    sourceAddresses: values['source-addresses'],
    brokerNodeOptions: values['broker-node-options'],
    viewers: values.viewers,
    watched: values.watched,
    postgresUrl: values['postgres-url'],
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
    connectRate: o.connectRate,
    keepaliveS: o.keepaliveS,
    settleMs: Math.round(o.settleS * 1000),
    targets: Object.freeze([...new Set(o.targets)]),
    perProcess: o.perProcess,
    sourceAddresses: o.sourceAddresses,
    brokerNodeOptions: o.brokerNodeOptions,
    viewers: o.viewers,
    watched: o.watched ?? Math.min(o.agents, o.viewers),
    postgresUrl: o.postgresUrl,
  });
}
