// Raw InfluxDB line-protocol ingest as a perftest load: batches shaped like our containers (same
// schema and line builder as the write service), `requestsInFlight` writers until the deadline.
// Units are points: sent = lines posted, acked = lines InfluxDB answered 204 for.
import type { Measurement } from '../../proto/container.js';
import { createInfluxWriter } from '../../services/write/influx-writer.js';
import { containerToLines } from '../../services/write/line-protocol.js';
import type { FleetEvents, FleetResult } from './mqtt-fleet.js';

export interface RawLoadOptions {
  readonly url: string;
  readonly database: string;
  readonly durationMs: number;
  readonly batchLines: number;
  readonly requestsInFlight: number;
  readonly households: number;
  readonly readings: number;
  /** Points/s across all writers; 0 = as fast as InfluxDB answers. */
  readonly rate: number;
  /** gzip request bodies, as the write service can (default off). */
  readonly gzip?: boolean;
}

/** For callers that want only the totals (bench:ingest's raw phase). */
export const NO_FLEET_EVENTS: FleetEvents = { signal: new AbortController().signal, onSent: () => undefined, onAck: () => undefined };

/** A paced batch carries at most this much of the schedule, so a low rate is spread over many requests. */
const BATCH_SLICE_S = 0.1;

/**
 * Lines per write request: --batch-lines, cut at a set rate to a tenth of a second of it, in whole
 * containers of `readings` lines (at least one). Unpaced, writers sent --batch-lines at once
 * whatever the rate: `-r 100 -z 3` wrote 5,005 points in one request.
 */
export function pacedBatchLines(options: Pick<RawLoadOptions, 'rate' | 'batchLines' | 'readings'>): number {
  const target = options.rate === 0 ? options.batchLines : Math.min(options.batchLines, options.rate * BATCH_SLICE_S);
  return Math.max(Math.ceil(target / options.readings), 1) * options.readings;
}

function* batches(options: RawLoadOptions): Generator<{ body: string; lines: number }, never> {
  const baseMs = Date.now() - 7_200_000;
  const batchLines = pacedBatchLines(options);
  for (let tick = 0; ; ) {
    const lines: string[] = [];
    while (lines.length < batchLines) {
      const timestampMs = baseMs + Math.floor(tick / options.households);
      const measurements: Measurement[] = Array.from({ length: options.readings }, (_, i) => ({
        deviceId: `socket-${i}`,
        quantity: 'power_w',
        value: (tick + i) % 3000,
        timestampMs,
      }));
      lines.push(...containerToLines({ householdId: `raw-h${tick % options.households}`, agentId: 'agent-0', seq: tick + 1, createdAtMs: timestampMs, measurements }));
      tick++;
    }
    yield { body: lines.join('\n'), lines: lines.length };
  }
}

export async function runInfluxRawLoad(options: RawLoadOptions, events: FleetEvents): Promise<FleetResult> {
  const writer = createInfluxWriter({ url: options.url, database: options.database, gzip: options.gzip ?? false, requestTimeoutMs: 30_000 });
  const created = await writer.createDatabase();
  if (created.kind !== 'ok') throw new Error(`cannot create database ${options.database}: ${created.kind}`);
  const source = batches(options);
  const latenciesMs: number[] = [];
  let sent = 0;
  let scheduled = 0;
  let acked = 0;
  let failedBatches = 0;
  const started = performance.now();
  const deadline = started + options.durationMs;
  const worker = async (): Promise<void> => {
    while (performance.now() < deadline && !events.signal.aborted) {
      const batch = source.next().value;
      // Open loop on points: each batch takes the next slot of the schedule before it waits, so
      // writers never start at the same slot.
      if (options.rate > 0) {
        const dueAtMs = (scheduled / options.rate) * 1000;
        // A slot at or past the deadline is not the run's. (Checking the clock after the wait is
        // not enough: a timer is measured from the event loop's cached time, which lags while the
        // loop is busy, so it can fire before its time by that lag, and a writer woken just before
        // the deadline sent a batch whose slot lay past it: CI saw 176 points for 150.)
        if (dueAtMs >= options.durationMs) break;
        scheduled += batch.lines;
        const waitMs = dueAtMs - (performance.now() - started);
        if (waitMs > 0) await new Promise((r) => setTimeout(r, Math.min(waitMs, deadline - performance.now())));
        if (performance.now() >= deadline || events.signal.aborted) break;
      }
      const t0 = performance.now();
      sent += batch.lines;
      events.onSent(t0 - started, batch.lines);
      const outcome = await writer.writeBatch(batch.body);
      const now = performance.now();
      if (outcome.kind === 'ok') {
        acked += batch.lines;
        latenciesMs.push(now - t0);
        events.onAck(now - started, now - t0, batch.lines);
      } else {
        failedBatches++;
      }
    }
  };
  await Promise.all(Array.from({ length: options.requestsInFlight }, worker));
  return { sent, acked, behind: 0, failed: failedBatches, elapsedMs: performance.now() - started, latenciesMs };
}
