// How the write loop (journal-consumer.ts) names a batch and its containers in its log lines.
import type { Batch, BatchEntry } from './batch-assembler.js';
import { correlationIdOfContainer } from './journal-entry-lines.js';

/** The container's correlation id in logs (lib/log.ts); decoded here because only logs ask for it. */
export function correlationIdOf(entry: BatchEntry): string | undefined {
  return correlationIdOfContainer(entry.container);
}

/** A batch's name in logs: its journal key range. */
export function batchId(batch: Batch): string {
  return `${batch.entries[0]?.key ?? batch.highKey}..${batch.highKey}`;
}

export function correlationIds(batch: Batch): (string | undefined)[] {
  return batch.entries.map(correlationIdOf);
}
