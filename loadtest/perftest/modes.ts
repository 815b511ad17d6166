// One function per perftest mode: start what the mode measures, run the phase(s), stop everything.
import { randomBytes } from 'node:crypto';
import { createInfluxDatabase, dropInfluxDatabase, startInfluxdb } from '../../infra/influxdb.js';
import { makeTempDir } from '../../test/support/temp-dir.js';
import { connectFleet, type FleetOptions } from './mqtt-fleet.js';
import { pacedBatchLines, runInfluxRawLoad } from './influx-raw-load.js';
import type { Mode, PerftestOptions } from './options.js';
import { startMosquittoTarget } from './mosquitto-target.js';
import { startOurBroker, startOurWriter } from './our-services.js';
import { runPhase, type RunContext } from './run-phase.js';
import type { RunResult } from './run-result.js';
import { runLiveFanout } from './live-fanout.js';
import { runWriteOnly } from './write-only.js';

const uniqueDatabaseName = (prefix: string): string => `${prefix}_${process.pid}_${randomBytes(3).toString('hex')}`;

const AUTH_NOTE = 'broker started with EM_BROKER_AUTH=disabled (credentials are checked once per CONNECT, not per publish)';

function fleetOptions(o: PerftestOptions, brokerUrl: string, householdPrefix: string): FleetOptions {
  return { brokerUrl, agents: o.agents, connections: o.connections, rate: o.rate, readings: o.readings, qos: o.qos, payloadBytes: o.payloadBytes, durationMs: o.durationMs, window: o.window, householdPrefix };
}

/** MQTT load against a broker URL; `stored` is whatever `readStoredTotal` counts. */
async function mqttPhase(
  o: PerftestOptions,
  target: string,
  brokerUrl: string,
  extra: Omit<Parameters<typeof runPhase>[0], 'target' | 'unit' | 'load'>,
  ctx: RunContext,
): Promise<RunResult> {
  const fleet = await connectFleet(fleetOptions(o, brokerUrl, `perf${Date.now().toString(36)}`));
  try {
    return await runPhase({ target, unit: 'msgs', warmupMs: o.warmupMs, ...extra, load: (events) => fleet.run(events) }, ctx);
  } finally {
    await fleet.close();
  }
}

export async function runBrokerOnly(o: PerftestOptions, ctx: RunContext): Promise<RunResult[]> {
  const dir = makeTempDir('perftest');
  const broker = await startOurBroker(dir.path, o.durable);
  try {
    const notes = [AUTH_NOTE, `journal durable=${o.durable}, no writer: stored = entries in the journal`];
    if (o.qos === 0) notes.push('QoS0: acked = written to the socket, latency is not a broker round trip');
    return [
      await mqttPhase(o, 'energymonitor broker', broker.url, { storedMeaning: 'messages journaled', readStoredTotal: broker.journalEntries, cpuPids: { broker: broker.pid, generator: process.pid }, notes }, ctx),
    ];
  } finally {
    await broker.stop();
    dir.remove();
  }
}

export async function runPipeline(o: PerftestOptions, ctx: RunContext): Promise<RunResult[]> {
  const dir = makeTempDir('perftest');
  const influx = o.influxUrl === undefined ? await startInfluxdb({ dataDir: dir.join('influxdb') }) : undefined;
  const influxUrl = o.influxUrl ?? influx!.url;
  const database = uniqueDatabaseName('perftest');
  try {
    await createInfluxDatabase(influxUrl, database);
    const broker = await startOurBroker(dir.path, o.durable);
    const writer = await startOurWriter(dir.path, influxUrl, database).catch(async (error: unknown) => {
      await broker.stop();
      throw error;
    });
    try {
      const notes = [AUTH_NOTE, 'stored = points the write service got a 204 for; the run waits until all acknowledged readings are stored'];
      return [
        await mqttPhase(
          o,
          'pipeline',
          broker.url,
          { storedMeaning: 'points in InfluxDB', readStoredTotal: writer.pointsWritten, storedGoal: (acked) => acked * o.readings, cpuPids: { broker: broker.pid, write: writer.pid, influxd: influx?.pid, generator: process.pid }, notes },
          ctx,
        ),
      ];
    } finally {
      await Promise.all([broker.stop(), writer.stop()]);
    }
  } finally {
    // A private InfluxDB goes with its folder; on a shared one, remove what this run created.
    if (influx === undefined) await dropInfluxDatabase(influxUrl, database).catch(() => undefined);
    await influx?.stop();
    dir.remove();
  }
}

export async function runInfluxRaw(o: PerftestOptions, ctx: RunContext): Promise<RunResult[]> {
  const dir = makeTempDir('perftest');
  const influx = o.influxUrl === undefined ? await startInfluxdb({ dataDir: dir.join('influxdb') }) : undefined;
  const url = o.influxUrl ?? influx!.url;
  try {
    const options = { url, database: uniqueDatabaseName('perftest_raw'), durationMs: o.durationMs, batchLines: o.batchLines, requestsInFlight: o.requestsInFlight, households: Math.max(o.agents, 1), readings: o.readings, rate: o.rate };
    const notes = [`${pacedBatchLines(options)}-line batches, ${o.requestsInFlight} requests in flight, ${options.households} households; rate is in points/s; latency = one write request`];
    try {
      return [await runPhase({ target: 'influxdb raw', unit: 'points', warmupMs: o.warmupMs, cpuPids: { influxd: influx?.pid, generator: process.pid }, notes, load: (events) => runInfluxRawLoad(options, events) }, ctx)];
    } finally {
      if (influx === undefined) await dropInfluxDatabase(url, options.database).catch(() => undefined);
    }
  } finally {
    await influx?.stop();
    dir.remove();
  }
}

/**
 * The broker-only load against our broker, then against Mosquitto, in one run (one after the other,
 * so they never share the two cores), same options for both.
 */
export async function runCompareMosquitto(o: PerftestOptions, ctx: RunContext): Promise<RunResult[]> {
  const ours = await runBrokerOnly(o, ctx);
  const dir = makeTempDir('perftest-mosquitto');
  const mosquitto = await startMosquittoTarget(dir.join('mosquitto'));
  try {
    const notes = [
      'stored = messages a persistent-session QoS1 subscriber received, in a process of its own (Mosquitto has no journal)',
      'persistence on, queue limits lifted; Mosquitto acknowledges before anything reaches disk (it saves periodically), our broker after an fsync (--durable true)',
    ];
    const theirs = await mqttPhase(
      o,
      'mosquitto',
      mosquitto.url,
      { storedMeaning: 'messages delivered to a subscriber', readStoredTotal: mosquitto.received, storedGoal: (acked) => acked, drainTimeoutMs: 10_000, cpuPids: { mosquitto: mosquitto.pid, subscriber: mosquitto.drainPid, generator: process.pid }, notes },
      ctx,
    );
    return [...ours, theirs];
  } finally {
    await mosquitto.stop();
    dir.remove();
  }
}

/** The throughput modes; connection-storm has its own runner and report (connection-storm.ts). */
export type ThroughputMode = Exclude<Mode, 'connection-storm'>;

export const MODE_RUNNERS: Readonly<Record<ThroughputMode, (o: PerftestOptions, ctx: RunContext) => Promise<RunResult[]>>> = {
  'broker-only': runBrokerOnly,
  pipeline: runPipeline,
  'influx-raw': runInfluxRaw,
  'compare-mosquitto': runCompareMosquitto,
  'write-only': (o, ctx) => runWriteOnly(o, ctx, mqttPhase),
  'live-fanout': runLiveFanout,
};
