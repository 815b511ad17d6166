// One appender and one consumer per journal (docs/decisions/002-journal-lmdb.md, "one holder per
// role"). Journal keys are a per-process counter and the consumer's cursor is per process too: a
// second broker appending to the same journal can push the cursor past the first broker's future
// keys, and a second write service can move the cursor over entries the first is still writing.
// Either loses acknowledged readings without a trace, so a second holder of a role must not start.
// The lock itself, and why it is an abstract Unix socket, is lib/fs/directory-lock.ts.
import { mkdirSync } from 'node:fs';
import { resolve } from 'node:path';
import { ConfigError } from '../config/load-config.js';
import { lockDirectory } from '../fs/directory-lock.js';

/** Appender: the broker (appends, trims). Consumer: the write service (peeks, moves the cursor). */
export type JournalRole = 'appender' | 'consumer';

export interface JournalLock {
  readonly role: JournalRole;
  /** Frees the role for another holder; harmless twice. */
  release(): Promise<void>;
}

/** A configuration mistake: two processes were given one journal for the same role. */
export class JournalHeldError extends ConfigError {
  override readonly name = 'JournalHeldError';
}

const WHO: Record<JournalRole, string> = { appender: 'appender (a broker)', consumer: 'consumer (a write service)' };

/**
 * Takes `role` on the journal at `path` (a directory, created if missing) for this handle. Rejects
 * with JournalHeldError, naming the path and the holder's PID, while another handle holds it, in
 * this process or any other. The lock never keeps the process alive.
 */
export async function lockJournal(path: string, role: JournalRole): Promise<JournalLock> {
  mkdirSync(path, { recursive: true });
  const lock = await lockDirectory(
    path,
    `journal-${role}`,
    (pid) =>
      new JournalHeldError(
        `journal ${resolve(path)} is already open as its ${WHO[role]} by pid ${pid}. ` +
          'Only one process per role may open a journal: give each broker its own journal path, with one write service beside it.',
      ),
  );
  return { role, release: () => lock.release() };
}
