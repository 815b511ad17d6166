// One batch's way out of the journal, for the write loop (journal-consumer.ts): its lines to
// InfluxDB (batch-delivery.ts), then its entries removed from the journal.
import type { JournalKey } from '../../lib/journal/container-journal.js';
import type { Batch, BatchEntry } from './batch-assembler.js';
import { deliverBody, deliverMarks, type DeliveryDeps } from './batch-delivery.js';
import { batchId, correlationIdOf, correlationIds } from './batch-log-fields.js';
import { backoffDelayMs } from './backoff.js';
import { isCursorFlushTimeout } from './cursor-flush-watch.js';
import type { JournalConsumerDeps } from './journal-consumer.js';
import { lateHourMarks } from './late-hour-marks.js';
import { linesBody } from './line-slabs.js';
import type { WriteMetrics } from './metrics.js';

export type RemoveStored = (keys: readonly JournalKey[]) => Promise<void>;

/** Removes stored entries; tells the watch whether the disk confirmed the cursor's flush in time. */
export function createRemoveStored({ journal, cursorFlush }: Pick<JournalConsumerDeps, 'journal' | 'cursorFlush'>): RemoveStored {
  return async (keys) => {
    try {
      await journal.removeContainers(keys);
    } catch (err) {
      if (isCursorFlushTimeout(err)) cursorFlush.overdue(err);
      throw err;
    }
    cursorFlush.confirmed();
  };
}

/** Delivers the batch and removes it, retrying after a backoff until it is stored or the consumer stops. */
export async function storeBatch(batch: Batch, delivery: DeliveryDeps, removeStored: RemoveStored): Promise<void> {
  const { clock, log, metrics, stopSignal } = delivery;
  const body = joinLines(batch.entries);
  const lines = (): string[] => body.toString('utf8').split('\n');
  // Only the log line of a batch with dead-lettered lines asks which container a line came from.
  let entryOfLine: Map<string, BatchEntry> | undefined;
  const correlationIdOfLine = (line: string): string | undefined => {
    entryOfLine ??= new Map(batch.entries.flatMap((entry) => entry.lineBytes.toString('utf8').split('\n').map((text) => [text, entry] as const)));
    const entry = entryOfLine.get(line);
    return entry === undefined ? undefined : correlationIdOf(entry);
  };
  for (let attempt = 0; !stopSignal.aborted; attempt++) {
    try {
      if (batch.lineCount > 0 && !(await deliverBody(body, batch.lineCount, lines, { ...delivery, correlationIdOf: correlationIdOfLine }))) return;
      // After the readings, before the journal lets go of them: a crash in between replays both.
      const marks = lateHourMarks(batch.entries, clock.nowMs());
      if (marks !== undefined && !(await deliverMarks(marks.body, marks.lineCount, delivery))) return;
      await removeStored(batch.entries.map((entry) => entry.key));
      if (log.isLevelEnabled('debug')) log.debug({ batch: batchId(batch), cids: correlationIds(batch) }, 'batch stored (InfluxDB 204) and removed from the journal');
      metrics.batches.inc();
      observeLag(batch, clock.nowMs(), metrics);
      return;
    } catch (err) {
      // The dead-letter store or the journal failed: keep the batch claimed and try again later
      // rather than hammering InfluxDB with replays of it.
      log[isCursorFlushTimeout(err) ? 'warn' : 'error']({ err, keys: batch.entries.length }, 'storing a batch failed, retrying');
      metrics.retries.inc();
      await clock.sleep(backoffDelayMs(attempt, delivery.backoff, delivery.random), stopSignal);
    }
  }
}

/** A batch's request body: its containers' lines, newline-separated, in one buffer. */
function joinLines(entries: readonly BatchEntry[]): Buffer {
  return linesBody(entries.map((entry) => entry.lineBytes));
}

function observeLag(batch: Batch, nowMs: number, metrics: WriteMetrics): void {
  for (const entry of batch.entries) metrics.lagSeconds.observe(Math.max(0, nowMs - entry.createdAtMs) / 1000);
}
