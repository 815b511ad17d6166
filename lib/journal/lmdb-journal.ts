// ContainerJournal on LMDB (docs/decisions/002-journal-lmdb.md). One environment is shared by the
// broker process (appends) and the write-service process (peeks, removes); LMDB's robust writer
// mutex and copy-on-write pages make both sides safe against kill -9 at any instant.
import { open, type Database, type RootDatabase } from 'lmdb';
import { readLmdbStats } from '../lmdb-stats.js';
import type { ContainerJournal, JournalEntry, JournalKey, PeekOptions } from './container-journal.js';

export interface LmdbJournalOptions {
  /**
   * true (default): an append resolves only after its transaction is flushed to disk. lmdb-js
   * batches all appends that arrive while a commit is in progress into the next transaction,
   * which gives group commit: many devices share one fsync.
   */
  readonly durable?: boolean;
  readonly clock?: () => number;
}

export function openLmdbJournal(path: string, options: LmdbJournalOptions = {}): ContainerJournal {
  const durable = options.durable ?? true;
  const clock = options.clock ?? Date.now;
  const root: RootDatabase = open({ path, compression: false, noSync: !durable });
  const db: Database<Buffer, number> = root.openDB({ name: 'containers', encoding: 'binary' });
  // Keys are microsecond-clock seeded so they keep growing across restarts even when the journal
  // was drained empty (the consumer also rescans from the start whenever it is idle).
  let nextKey = Math.max(Math.floor(clock() * 1000), lastKey(db) + 1);

  return {
    async appendContainer(container) {
      const key = nextKey++;
      await db.put(key, Buffer.from(container.buffer, container.byteOffset, container.byteLength));
      if (durable) await root.flushed;
      return key;
    },
    peekContainers(peek: PeekOptions): JournalEntry[] {
      // Another process appends: start a fresh read snapshot so its commits are visible.
      db.resetReadTxn();
      const start = peek.afterKey === undefined ? undefined : peek.afterKey + 1;
      const entries: JournalEntry[] = [];
      for (const { key, value } of db.getRange({ start, limit: peek.maxEntries })) {
        // Copy: the buffer returned by LMDB may be reused after the read transaction moves on.
        entries.push({ key, container: Uint8Array.prototype.slice.call(value) });
      }
      return entries;
    },
    async removeContainers(keys: readonly JournalKey[]) {
      if (keys.length === 0) return;
      await db.transaction(() => {
        for (const key of keys) db.removeSync(key);
      });
    },
    depth() {
      const stats = readLmdbStats(db);
      return { entries: stats.entryCount, bytes: stats.bytesInUse };
    },
    async close() {
      await root.close();
    },
  };
}

function lastKey(db: Database<Buffer, number>): number {
  for (const key of db.getKeys({ reverse: true, limit: 1 })) return key;
  return 0;
}
