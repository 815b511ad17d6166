// InfluxDB's raw line-protocol ingest on this machine: the ceiling the pipeline is compared with.
// Same schema, same batch size, same HTTP client as the write service, no broker or journal.
import { createInfluxWriter } from '../../services/write/influx-writer.js';
import { containerToLines } from '../../services/write/line-protocol.js';
import type { Measurement } from '../../proto/container.js';

export interface RawIngestOptions {
  readonly url: string;
  readonly database: string;
  readonly durationMs: number;
  readonly batchLines: number;
  readonly requestsInFlight: number;
  readonly households: number;
  readonly readingsPerContainer: number;
  readonly gzip: boolean;
}

export interface RawIngestResult {
  readonly points: number;
  readonly elapsedMs: number;
  readonly pointsPerSecond: number;
  readonly failedBatches: number;
}

/** Endless batches of lines shaped like real containers: households × sockets, advancing time. */
function* batches(options: RawIngestOptions): Generator<{ body: string; lines: number }> {
  const baseMs = Date.now() - 7_200_000;
  let tick = 0;
  for (;;) {
    const lines: string[] = [];
    while (lines.length < options.batchLines) {
      const household = tick % options.households;
      const timestampMs = baseMs + Math.floor(tick / options.households);
      const measurements: Measurement[] = Array.from({ length: options.readingsPerContainer }, (_, i) => ({
        deviceId: `socket-${i}`,
        quantity: 'power_w',
        value: (tick + i) % 3000,
        timestampMs,
      }));
      lines.push(...containerToLines({ householdId: `raw-h${household}`, agentId: 'agent-0', seq: tick + 1, createdAtMs: timestampMs, measurements }));
      tick++;
    }
    yield { body: lines.join('\n'), lines: lines.length };
  }
}

export async function measureRawIngest(options: RawIngestOptions): Promise<RawIngestResult> {
  const writer = createInfluxWriter({ url: options.url, database: options.database, gzip: options.gzip, requestTimeoutMs: 30_000 });
  await writer.createDatabase();
  const source = batches(options);
  let points = 0;
  let failedBatches = 0;
  const started = performance.now();
  const deadline = started + options.durationMs;
  const worker = async (): Promise<void> => {
    while (performance.now() < deadline) {
      const batch = source.next().value as { body: string; lines: number };
      const outcome = await writer.writeBatch(batch.body);
      if (outcome.kind === 'ok') points += batch.lines;
      else failedBatches++;
    }
  };
  await Promise.all(Array.from({ length: options.requestsInFlight }, worker));
  const elapsedMs = performance.now() - started;
  return { points, elapsedMs, pointsPerSecond: (points / elapsedMs) * 1000, failedBatches };
}
