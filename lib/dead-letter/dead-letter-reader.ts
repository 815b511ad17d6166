// Reads a dead-letter store from another process (the operator's tool) while its owner, the broker
// or the write service, keeps writing: LMDB readers do not block its writer. Read-only, and it
// never creates a store: lmdb would make an empty one at a mistyped path, which hides the mistake.
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { open, type Database, type RootDatabase } from 'lmdb';
import type { DeadLetter } from './dead-letter-store.js';
import { fromStoredLetter, type StoredLetter } from './stored-letter.js';

export class DeadLetterStoreNotFound extends Error {
  override readonly name = 'DeadLetterStoreNotFound';
}

export interface LetterFilter {
  readonly reason?: string;
  /** Letters recorded at or after this time. */
  readonly sinceMs?: number;
  /** The newest this many matching letters. */
  readonly limit: number;
}

export interface DeadLetterReader {
  /** Matching letters, oldest first. */
  letters(filter: LetterFilter): DeadLetter[];
  close(): Promise<void>;
}

export function openDeadLetterReader(path: string): DeadLetterReader {
  if (!existsSync(join(path, 'data.mdb'))) throw new DeadLetterStoreNotFound(`no dead-letter store at ${path} (no data.mdb there)`);
  const root: RootDatabase = open({ path, readOnly: true, compression: false });
  let db: Database<StoredLetter, number>;
  try {
    db = root.openDB({ name: 'dead-letters' });
  } catch (error) {
    // A read-only open cannot create the named database: an LMDB environment that is not ours.
    void root.close();
    throw new DeadLetterStoreNotFound(`${path} is an LMDB environment without dead letters (${error instanceof Error ? error.message : String(error)})`);
  }
  return {
    letters({ reason, sinceMs, limit }) {
      const found: DeadLetter[] = [];
      // Newest first, so that --limit keeps the most recent; ids grow with time, so --since stops the scan.
      for (const { key, value } of db.getRange({ reverse: true })) {
        if (found.length >= limit || (sinceMs !== undefined && value.atMs < sinceMs)) break;
        if (reason === undefined || value.reason === reason) found.push(fromStoredLetter(key, value));
      }
      return found.reverse();
    },
    async close() {
      await root.close();
    },
  };
}
