// Keys for appended entries: growing across restarts, and always above the consumer's cursor.
import type { Database, RootDatabase } from 'lmdb';
import type { JournalKey } from './container-journal.js';
import { storedCursor } from './lmdb-journal-environments.js';

/** Keys for a group of `count` appends, in order, taken as the group commits. */
export type KeysFor = (count: number) => JournalKey[];

export function createKeyAllocator(
  db: Database<Buffer, number>,
  cursorRoot: RootDatabase<number, string>,
  clock: () => number,
  consumedThrough: JournalKey,
): KeysFor {
  // Keys are microsecond-clock seeded so they keep growing across restarts even when the journal
  // was trimmed empty. They must also stay above the cursor: an entry at or below it would count
  // as stored and be trimmed unwritten if the clock ever stepped back (or if anything moved the
  // cursor ahead, such as a second appender: see keysFor).
  let nextKey = Math.max(Math.floor(clock() * 1000), lastKey(db) + 1, consumedThrough + 1);

  /**
   * Keys for one group, taken as it commits: above the last stored entry and the stored cursor as
   * they are now, not as they were at open. Only one appender may hold a journal (journal-lock.ts),
   * so both are normally below nextKey already; this is the second line of defence: an append is
   * never born below the cursor, where it would never be peeked and would be trimmed unwritten.
   * Two small reads per group commit.
   */
  return function keysFor(count: number): JournalKey[] {
    db.resetReadTxn();
    const first = Math.max(nextKey, lastKey(db) + 1, storedCursor(cursorRoot) + 1);
    nextKey = first + count;
    return Array.from({ length: count }, (_, i) => first + i);
  };
}

function lastKey(db: Database<Buffer, number>): number {
  for (const key of db.getKeys({ reverse: true, limit: 1 })) return key;
  return 0;
}
