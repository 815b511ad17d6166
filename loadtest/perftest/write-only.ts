// write-only mode: the write service alone, draining a pre-filled journal into InfluxDB.
// Fill: our broker takes the configured load (its journal keeps every acknowledged container, no
// writer runs), then stops. Drain: the write service starts on that journal; its points counter,
// polled every 100 ms, is the drain rate. No publisher competes for the cores during the drain.
import { randomBytes } from 'node:crypto';
import { createInfluxDatabase, dropInfluxDatabase, startInfluxdb } from '../../infra/influxdb.js';
import { makeTempDir } from '../../test/support/temp-dir.js';
import type { FleetEvents, FleetResult } from './mqtt-fleet.js';
import type { PerftestOptions } from './options.js';
import { startOurBroker, startOurWriter, type RunningWriter } from './our-services.js';
import type { RunResult } from './run-result.js';
import { runPhase, type RunContext } from './run-phase.js';

type MqttPhase = (o: PerftestOptions, target: string, brokerUrl: string, extra: Omit<Parameters<typeof runPhase>[0], 'target' | 'unit' | 'load'>, ctx: RunContext) => Promise<RunResult>;

/** Polls the writer's counter until `goalPoints` are stored (or the timeout); acks carry no latency. */
async function drain(writer: RunningWriter, goalPoints: number, timeoutMs: number, events: FleetEvents): Promise<FleetResult> {
  const started = performance.now();
  events.onSent(0, goalPoints);
  let stored = 0;
  while (stored < goalPoints && performance.now() - started < timeoutMs && !events.signal.aborted) {
    await new Promise((r) => setTimeout(r, 100));
    const now = await writer.pointsWritten();
    if (now > stored) events.onAck(performance.now() - started, Number.NaN, now - stored);
    stored = Math.max(stored, now);
  }
  return { sent: goalPoints, acked: stored, behind: 0, failed: 0, elapsedMs: performance.now() - started, latenciesMs: [] };
}

export async function runWriteOnly(o: PerftestOptions, ctx: RunContext, mqttPhase: MqttPhase): Promise<RunResult[]> {
  const dir = makeTempDir('perftest');
  const influx = o.influxUrl === undefined ? await startInfluxdb({ dataDir: dir.join('influxdb') }) : undefined;
  const influxUrl = o.influxUrl ?? influx!.url;
  const database = `perftest_drain_${process.pid}_${randomBytes(3).toString('hex')}`;
  try {
    await createInfluxDatabase(influxUrl, database);
    const broker = await startOurBroker(dir.path, o.durable);
    let fill: RunResult;
    try {
      fill = await mqttPhase(o, 'fill (broker, no writer)', broker.url, { storedMeaning: 'messages journaled', readStoredTotal: broker.journalEntries, cpuPids: { broker: broker.pid, generator: process.pid }, notes: ['EM_BROKER_AUTH=disabled; fills the journal the write service then drains'] }, ctx);
    } finally {
      await broker.stop();
    }
    const goalPoints = fill.acked * o.readings;
    const writer = await startOurWriter(dir.path, influxUrl, database);
    try {
      const drained = await runPhase(
        {
          target: 'write service drain',
          unit: 'points',
          storedMeaning: 'points in InfluxDB',
          cpuPids: { write: writer.pid, influxd: influx?.pid },
          notes: [`journal pre-filled with ${fill.acked} containers (${goalPoints} points); acked/s = drain rate; latency not measured`],
          load: (events) => drain(writer, goalPoints, 120_000, events),
        },
        ctx,
      );
      return [fill, drained];
    } finally {
      await writer.stop();
    }
  } finally {
    if (influx === undefined) await dropInfluxDatabase(influxUrl, database).catch(() => undefined);
    await influx?.stop();
    dir.remove();
  }
}
