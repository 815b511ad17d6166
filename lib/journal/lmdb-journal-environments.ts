// The LMDB journal's two environments, and the keys its bookkeeping is stored under.
//
// The consumer never writes to that environment. It records how far it has stored — the
// "consumed-through" key, below which every entry is stored — in a small environment of its own
// (`<path>/consumed`), and the producer deletes consumed entries inside its own append
// transactions (trimConsumed). LMDB has one writer at a time per environment: when the consumer
// removed a 5,000-entry batch itself, its transaction and fsync held the lock every append waits
// for, and the devices' PUBACKs waited with them (docs/benchmarks.md, "PUBACK tail"). Kafka keeps
// consumer offsets apart from the log for the same reason.
import { join } from 'node:path';
import { open, type Database, type RootDatabase } from 'lmdb';
import type { JournalKey } from './container-journal.js';

export const CURSOR_KEY = 'consumed-through';
/** Entries the cursor has passed, ever: written with the cursor, in the consumer's environment. */
export const CONSUMED_TOTAL_KEY = 'consumed-total';
/** Containers appended, ever: written with each group of appends, in the producer's environment. */
export const APPENDED_TOTAL_KEY = 'appended-total';

export interface LmdbJournalEnvironments {
  /** The producer's environment: the entries (`db`) and its running total (`meta`). */
  readonly root: RootDatabase;
  readonly db: Database<Buffer, number>;
  readonly meta: Database<number, string>;
  /** The consumer's environment (`<path>/consumed`): its cursor and its running total. */
  readonly cursorRoot: RootDatabase<number, string>;
}

export function openEnvironments(path: string, durable: boolean): LmdbJournalEnvironments {
  const root: RootDatabase = open({ path, compression: false, noSync: !durable });
  const db: Database<Buffer, number> = root.openDB({ name: 'containers', encoding: 'binary' });
  const meta: Database<number, string> = root.openDB({ name: 'meta' });
  const cursorRoot: RootDatabase<number, string> = open({ path: join(path, 'consumed'), compression: false, noSync: !durable });
  return { root, db, meta, cursorRoot };
}

/** The consumer's cursor as it is on disk now. */
export function storedCursor(cursorRoot: RootDatabase<number, string>): JournalKey {
  cursorRoot.resetReadTxn(); // the other process writes it
  return cursorRoot.get(CURSOR_KEY) ?? 0;
}
