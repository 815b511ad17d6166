// One journal entry as the write loop needs it: its line-protocol bytes, or why it cannot have
// them. The broker validated every container before journaling it, so a refusal "should never
// happen"; when it does, the entry is dead-lettered rather than peeked again forever.
import { decodeContainer, type ReadingContainer } from '../../proto/container.js';
import type { JournalEntry } from '../../lib/journal/container-journal.js';
import { containerCorrelationId } from '../../lib/log.js';
import type { BatchEntry } from './batch-assembler.js';
import type { WriteDeadLetterReason } from './dead-letter-reasons.js';
import { containerToLines, UnstorableContainerError } from './line-protocol.js';
import { containerLinesFromWire } from './wire-lines.js';

/** The container's correlation id in logs (lib/log.ts), if it decodes. */
export function correlationIdOfContainer(container: Uint8Array): string | undefined {
  try {
    return containerCorrelationId(decodeContainer(container));
  } catch {
    return undefined;
  }
}

/** The oldest and newest reading's timestamp, as the fast path (wire-lines.ts) finds them; -1 without readings. */
export function readingSpanOf(container: ReadingContainer): { oldestReadingMs: number; newestReadingMs: number } {
  const times = container.measurements.map((m) => m.timestampMs);
  return times.length === 0 ? { oldestReadingMs: -1, newestReadingMs: -1 } : { oldestReadingMs: Math.min(...times), newestReadingMs: Math.max(...times) };
}

/** Why a journal entry cannot become lines. */
export interface EntryRefusal {
  readonly reason: WriteDeadLetterReason;
  readonly detail: string;
}

/** The entry's lines, or why it cannot be decoded or stored. */
export function toBatchEntry(entry: JournalEntry): BatchEntry | { readonly refused: EntryRefusal } {
  // Containers as agents send them: their lines straight from the wire format (wire-lines.ts).
  const fast = containerLinesFromWire(entry.container);
  if (fast !== undefined) {
    const { bytes, lineCount, createdAtMs, oldestReadingMs, newestReadingMs } = fast;
    return { key: entry.key, lineBytes: bytes, lineCount, createdAtMs, oldestReadingMs, newestReadingMs, container: entry.container };
  }
  try {
    const container = decodeContainer(entry.container);
    const lines = containerToLines(container);
    const { oldestReadingMs, newestReadingMs } = readingSpanOf(container);
    return { key: entry.key, lineBytes: Buffer.from(lines.join('\n'), 'utf8'), lineCount: lines.length, createdAtMs: container.createdAtMs, oldestReadingMs, newestReadingMs, container: entry.container };
  } catch (err) {
    // Any failure (not only ContainerDecodeError) goes to the dead letters: an entry we cannot
    // turn into lines would otherwise be peeked again forever.
    if (err instanceof UnstorableContainerError) {
      return { refused: { reason: 'unstorable', detail: `journal entry ${entry.key} cannot be stored exactly: ${err.message}` } };
    }
    return { refused: { reason: 'decode', detail: `journal entry ${entry.key} does not decode: ${err instanceof Error ? err.message : String(err)}` } };
  }
}
