// The consumer's cursor on the LMDB journal: the key below which every entry is stored, moved by
// removals once the entries under it are stored, and written to the consumer's own environment
// (lmdb-journal-environments.ts) together with the running total it implies.
import { JOURNAL_REMOVAL, type ContainerJournal, type JournalEntry, type JournalKey, type PeekOptions } from './container-journal.js';
import type { FlushGuard } from './flush-guard.js';
import type { JournalRole } from './journal-lock.js';
import { CONSUMED_TOTAL_KEY, CURSOR_KEY, storedCursor, type LmdbJournalEnvironments } from './lmdb-journal-environments.js';
import type { LmdbJournalOptions } from './lmdb-journal-options.js';
import type { RunningTotals } from './lmdb-journal-totals.js';

/** The handle's peekContainers and removeContainers (container-journal.ts), and where its cursor stands. */
export interface ConsumerCursor extends Pick<ContainerJournal, 'peekContainers' | 'removeContainers'> {
  /** This handle's consumed-through key. */
  through(): JournalKey;
}

export interface ConsumerCursorParts {
  readonly envs: LmdbJournalEnvironments;
  readonly totals: RunningTotals;
  readonly guard: FlushGuard<number>;
  readonly durable: boolean;
  readonly flushed: NonNullable<LmdbJournalOptions['flushed']>;
  /** Throws unless this handle holds `role`. */
  readonly mustHold: (role: JournalRole, what: string) => void;
}

export function createConsumerCursor({ envs, totals, guard, durable, flushed, mustHold }: ConsumerCursorParts): ConsumerCursor {
  const { db, cursorRoot } = envs;
  /** This handle's consumed-through key; the stored one is read again where another process may have moved it. */
  let consumedThrough = storedCursor(cursorRoot);
  /** Stored (removeContainers) but above the cursor: an earlier entry is still being written. */
  const storedAbove = new Set<JournalKey>();
  /** The last cursor write failed or its flush timed out: until one is confirmed, every removal writes the cursor again. */
  let cursorUnconfirmed = false;

  /** Moves the cursor over every leading entry that has been stored; true if it moved. */
  function advanceCursor(): boolean {
    const before = consumedThrough;
    const totalBefore = totals.consumedNow(consumedThrough);
    let passed = 0;
    db.resetReadTxn();
    for (const key of db.getKeys({ start: consumedThrough + 1 })) {
      if (!storedAbove.has(key)) break;
      storedAbove.delete(key);
      consumedThrough = key;
      passed++;
    }
    if (consumedThrough === before) return false;
    totals.cursorMoved(totalBefore + passed);
    // Keys removed twice or never peeked may sit below the cursor now: forget them.
    for (const key of storedAbove) if (key <= consumedThrough) storedAbove.delete(key);
    return true;
  }

  function peekContainers(peek: PeekOptions): JournalEntry[] {
    // Another process appends: start a fresh read snapshot so its commits are visible.
    db.resetReadTxn();
    consumedThrough = Math.max(consumedThrough, storedCursor(cursorRoot));
    const after = Math.max(peek.afterKey ?? 0, consumedThrough);
    const entries: JournalEntry[] = [];
    for (const { key, value } of db.getRange({ start: after + 1 })) {
      if (entries.length >= peek.maxEntries) break;
      if (storedAbove.has(key)) continue;
      // Already a copy: for binary values lmdb-js copies out of its shared read buffer and out of
      // the memory map (read.js, getRange); the journal contract holds peeked bytes stable.
      entries.push({ key, container: value });
    }
    return entries;
  }

  async function removeContainers(keys: readonly JournalKey[]): Promise<void> {
    mustHold('consumer', 'remove entries');
    for (const key of keys) if (key > consumedThrough) storedAbove.add(key);
    // A retry after a failure moves nothing (the cursor moved in memory), but must not succeed
    // without a confirmed flush: its caller takes success as the cursor being on disk.
    if (!advanceCursor() && !cursorUnconfirmed) return;
    // One transaction: the cursor and the total it implies.
    const written = Promise.all([
      cursorRoot.put(CURSOR_KEY, consumedThrough),
      cursorRoot.put(CONSUMED_TOTAL_KEY, totals.consumedNow(consumedThrough)),
    ]);
    // Timed out: the batch is retried; the cursor is not what acknowledges a reading, and a
    // cursor write lost after all only replays stored entries.
    try {
      await guard.durable(durable ? written.then(() => flushed(cursorRoot)) : written, JOURNAL_REMOVAL);
      cursorUnconfirmed = false;
    } catch (err) {
      cursorUnconfirmed = true;
      throw err;
    }
  }

  return { through: () => consumedThrough, peekContainers, removeContainers };
}
