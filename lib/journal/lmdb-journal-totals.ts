// The LMDB journal's depth, and the two running totals it is computed from.
//
// The depth (entries not yet consumed) is the difference of two running totals, each written in
// the same transaction as what it counts: containers ever appended (producer environment, `meta`)
// and entries the cursor has ever passed (consumer environment). Counting keys instead cost a walk
// over every stored-but-untrimmed entry per metrics scrape: with the broker down and the write
// service draining a backlog of 290,000 containers, that walk took 46 % of the write service's
// CPU (docs/benchmarks.md).
//
// Each total is written in the transaction of what it counts (lmdb-journal-appends.ts,
// lmdb-journal-cursor.ts); this module keeps this handle's copy of each and reads the stored ones.
import { readLmdbStats } from '../lmdb-stats.js';
import type { JournalDepth, JournalKey } from './container-journal.js';
import { APPENDED_TOTAL_KEY, CONSUMED_TOTAL_KEY, CURSOR_KEY, type LmdbJournalEnvironments } from './lmdb-journal-environments.js';

export interface RunningTotals {
  /** Entries the cursor has passed, ever, with the cursor at `through` (this handle's consumed-through key). */
  consumedNow(through: JournalKey): number;
  /** This handle's cursor moved: `total` entries passed, ever (on disk once the cursor is). */
  cursorMoved(total: number): void;
  /** Containers appended, ever. */
  appendedNow(): number;
  /** A group commit of appends is durable: `total` containers appended, ever. */
  appendedDurable(total: number): void;
  /** Entries not yet consumed, given this handle's consumed-through key; and the journal's bytes. */
  depth(consumedThrough: JournalKey): JournalDepth;
}

export function createRunningTotals({ db, meta, cursorRoot }: LmdbJournalEnvironments): RunningTotals {
  /** Entries above `through` (not consumed), counted one by one: only where a running total is missing. */
  function countAbove(through: JournalKey): number {
    return db.getKeysCount({ start: through + 1 });
  }

  /** The consumer's running total, as stored with the cursor (or as counted for an older journal). */
  let consumedTotal: number | undefined;
  function consumedTotalNow(consumedThrough: JournalKey): number {
    if (consumedTotal !== undefined) return consumedTotal;
    cursorRoot.resetReadTxn();
    const stored = cursorRoot.get(CONSUMED_TOTAL_KEY);
    if (stored !== undefined) return (consumedTotal = stored);
    // A journal from before the totals: pick the total that makes appended − consumed equal the
    // entries above the cursor now. Read in one snapshot of the producer's environment.
    db.resetReadTxn();
    const appended = meta.get(APPENDED_TOTAL_KEY);
    return (consumedTotal = appended === undefined ? 0 : appended - countAbove(consumedThrough));
  }

  /** The producer's running total (only the producer appends, so its own count stays exact). */
  let appendedTotal: number | undefined;
  function appendedTotalNow(): number {
    if (appendedTotal !== undefined) return appendedTotal;
    db.resetReadTxn();
    const stored = meta.get(APPENDED_TOTAL_KEY);
    if (stored !== undefined) return (appendedTotal = stored);
    // The counterpart of consumedTotalNow: entries above the cursor plus what the consumer has
    // counted. Entries above the cursor are never trimmed, so the snapshot sees all of them.
    cursorRoot.resetReadTxn();
    const through = cursorRoot.get(CURSOR_KEY) ?? 0;
    return (appendedTotal = (cursorRoot.get(CONSUMED_TOTAL_KEY) ?? 0) + countAbove(through));
  }

  function depth(consumedThrough: JournalKey): JournalDepth {
    // Consumed first: the consumer passes only entries already appended, so reading the appended
    // total afterwards can only see more of them, and the difference never goes below the truth.
    cursorRoot.resetReadTxn();
    const through = cursorRoot.get(CURSOR_KEY);
    // No cursor yet: nothing was ever consumed.
    const consumed = cursorRoot.get(CONSUMED_TOTAL_KEY) ?? (through === undefined ? 0 : undefined);
    db.resetReadTxn();
    const appended = meta.get(APPENDED_TOTAL_KEY);
    const stats = readLmdbStats(db);
    if (consumed !== undefined && appended !== undefined) return { entries: Math.max(0, appended - consumed), bytes: stats.bytesInUse };
    // A journal from before the totals, until both sides have written theirs: all entries less
    // the consumed ones not trimmed yet (few while the broker runs and trims).
    const untrimmed = db.getKeysCount({ end: Math.max(consumedThrough, through ?? 0), inclusiveEnd: true });
    return { entries: Math.max(0, stats.entryCount - untrimmed), bytes: stats.bytesInUse };
  }

  return {
    consumedNow: consumedTotalNow,
    cursorMoved(total) {
      consumedTotal = total;
    },
    appendedNow: appendedTotalNow,
    appendedDurable(total) {
      appendedTotal = total;
    },
    depth,
  };
}
