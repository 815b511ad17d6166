// Groups journal entries into InfluxDB write batches. Pure: time comes in as arguments.
// A batch is sent when it is full (maxBatchLines, InfluxDB's sweet spot is 5,000–10,000 lines) or
// when its oldest entry has waited lingerMs, so a quiet system still stores readings promptly.
// Containers are atomic: one is never split across batches, so an entry leaves the journal in
// exactly one batch.
import type { JournalKey } from '../../lib/journal/container-journal.js';

export interface BatchEntry {
  readonly key: JournalKey;
  /**
   * The container's line-protocol lines as UTF-8, newline-separated (a line never holds a
   * newline: the broker refuses one in a tag). Bytes, one run per container: a batch body is
   * these copied one after another, with no strings to join and encode (docs/benchmarks.md,
   * "Sixth look"; before, one string per container beat one per line: 0.72 against 1.23 µs per line).
   */
  readonly lineBytes: Buffer;
  readonly lineCount: number;
  /** When the agent sealed the container (for the publish→stored lag metric). */
  readonly createdAtMs: number;
  /** The oldest and newest reading's timestamp, -1 without readings: late ones are marked for the rollups (late-hour-marks.ts). */
  readonly oldestReadingMs: number;
  readonly newestReadingMs: number;
  /** The journaled container: its correlation id for logs is decoded from it only when a log line needs one. */
  readonly container: Uint8Array;
}

export interface Batch {
  readonly entries: readonly BatchEntry[];
  readonly lineCount: number;
  /** The highest journal key in the batch (entries are offered in key order). */
  readonly highKey: JournalKey;
}

export interface BatchAssemblerOptions {
  readonly maxBatchLines: number;
  readonly lingerMs: number;
}

export interface BatchAssembler {
  /**
   * Adds an entry unless that would overflow the pending batch; returns false (entry not taken)
   * when it does not fit. An empty batch takes any entry, even one larger than maxBatchLines.
   */
  offer(entry: BatchEntry, nowMs: number): boolean;
  /** The pending batch if it is full or has lingered long enough; it is then no longer pending. */
  takeDue(nowMs: number): Batch | undefined;
  /** Milliseconds until the pending batch is due (0 if due now), undefined when nothing is pending. */
  msUntilDue(nowMs: number): number | undefined;
  /** Lines the pending batch can still take. */
  freeLines(): number;
  /** The highest key pending, undefined when nothing is pending. */
  pendingHighKey(): JournalKey | undefined;
  /** Forgets the pending entries (they stay in the journal and are peeked again). */
  clear(): void;
}

export function createBatchAssembler(options: BatchAssemblerOptions): BatchAssembler {
  let entries: BatchEntry[] = [];
  let lineCount = 0;
  let firstOfferedAtMs = 0;
  let full = false;

  const isDue = (nowMs: number): boolean =>
    entries.length > 0 && (full || nowMs - firstOfferedAtMs >= options.lingerMs);

  return {
    offer(entry, nowMs) {
      if (entries.length === 0) {
        firstOfferedAtMs = nowMs;
      } else if (full || lineCount + entry.lineCount > options.maxBatchLines) {
        full = true;
        return false;
      }
      entries.push(entry);
      lineCount += entry.lineCount;
      if (lineCount >= options.maxBatchLines) full = true;
      return true;
    },
    takeDue(nowMs) {
      if (!isDue(nowMs)) return undefined;
      const last = entries[entries.length - 1];
      const batch: Batch = { entries, lineCount, highKey: last === undefined ? 0 : last.key };
      entries = [];
      lineCount = 0;
      full = false;
      return batch;
    },
    msUntilDue(nowMs) {
      if (entries.length === 0) return undefined;
      return isDue(nowMs) ? 0 : firstOfferedAtMs + options.lingerMs - nowMs;
    },
    freeLines() {
      return full ? 0 : Math.max(0, options.maxBatchLines - lineCount);
    },
    pendingHighKey() {
      return entries[entries.length - 1]?.key;
    },
    clear() {
      entries = [];
      lineCount = 0;
      full = false;
    },
  };
}
