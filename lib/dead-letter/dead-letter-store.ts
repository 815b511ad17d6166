// Where input we refuse goes, with its reason, so that nothing is silently dropped and an operator
// can inspect (and, once fixed, replay) it. One LMDB environment per process that refuses input.
import { open, type Database, type RootDatabase } from 'lmdb';
import { readLmdbStats } from '../lmdb-stats.js';

export type DeadLetterSource = 'broker' | 'write';

export interface DeadLetterInput {
  readonly source: DeadLetterSource;
  /** Short machine-readable reason, e.g. `decode`, `topic-mismatch`, `influx-400`. */
  readonly reason: string;
  /** Human-readable detail: what exactly was wrong. */
  readonly detail: string;
  readonly topic?: string;
  readonly clientId?: string;
  /** The refused bytes: a container payload, or a line-protocol line. */
  readonly payload: Uint8Array;
}

export interface DeadLetter extends DeadLetterInput {
  readonly id: number;
  readonly atMs: number;
}

export interface DeadLetterStore {
  record(letter: DeadLetterInput): Promise<DeadLetter>;
  /** Newest last; `afterId` pages forward. */
  list(options?: { readonly limit?: number; readonly afterId?: number }): DeadLetter[];
  count(): number;
  close(): Promise<void>;
}

interface StoredLetter extends Omit<DeadLetter, 'payload' | 'id'> {
  readonly payload: Buffer;
}

export function openDeadLetterStore(path: string, clock: () => number = Date.now): DeadLetterStore {
  const root: RootDatabase = open({ path, compression: false });
  const db: Database<StoredLetter, number> = root.openDB({ name: 'dead-letters' });
  // Ids are time-seeded so that they keep growing across restarts even after a purge.
  let nextId = Math.max(clock() * 1000, lastKey(db) + 1);

  return {
    async record(letter) {
      const id = nextId++;
      const stored: StoredLetter = { ...letter, atMs: clock(), payload: Buffer.from(letter.payload) };
      await db.put(id, stored);
      return { ...stored, id, payload: new Uint8Array(stored.payload) };
    },
    list(options = {}) {
      const limit = options.limit ?? 100;
      const range = db.getRange({ start: options.afterId === undefined ? undefined : options.afterId + 1, limit });
      return [...range].map(({ key, value }) => ({ ...value, id: key, payload: new Uint8Array(value.payload) }));
    },
    count() {
      return readLmdbStats(db).entryCount;
    },
    async close() {
      await root.close();
    },
  };
}

function lastKey(db: Database<StoredLetter, number>): number {
  for (const key of db.getKeys({ reverse: true, limit: 1 })) return key;
  return 0;
}
