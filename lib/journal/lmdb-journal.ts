// ContainerJournal on LMDB (docs/decisions/002-journal-lmdb.md). One environment is shared by the
// broker process (appends) and the write-service process (peeks); LMDB's robust writer mutex and
// copy-on-write pages make both sides safe against kill -9 at any instant.
//
// Keys come from a counter in the appending process and the cursor from the consuming one, so each
// role has one holder per journal: a handle locks its role (journal-lock.ts) and does only that
// role's writes.
//
// This file opens a handle and puts it together. Its parts: the two environments, and why the
// consumer has its own (lmdb-journal-environments.ts); the depth from two running totals
// (lmdb-journal-totals.ts); keys for appends (lmdb-journal-keys.ts); the appender's group-committed
// appends and trims (lmdb-journal-appends.ts); the consumer's cursor (lmdb-journal-cursor.ts).
import type { RootDatabase } from 'lmdb';
import type { ContainerJournal } from './container-journal.js';
import { DEFAULT_FLUSH_TIMEOUT_MS } from './flush-time-limit.js';
import { createFlushGuard } from './flush-guard.js';
import { lockJournal, type JournalLock, type JournalRole } from './journal-lock.js';
import { guardLmdbCommitFailures } from './lmdb-commit-failures.js';
import { createJournalAppender } from './lmdb-journal-appends.js';
import { createConsumerCursor } from './lmdb-journal-cursor.js';
import { openEnvironments } from './lmdb-journal-environments.js';
import { createKeyAllocator } from './lmdb-journal-keys.js';
import type { LmdbJournalOptions, LmdbJournalRole } from './lmdb-journal-options.js';
import { createRunningTotals } from './lmdb-journal-totals.js';

export type { FlushOverdue, JournalCommit, LmdbJournalOptions, LmdbJournalRole } from './lmdb-journal-options.js';

/**
 * Opens the journal at `path` for `role`, held by this handle until close(): another handle for the
 * same role, in this process or another, is refused with JournalHeldError (a ConfigError) naming
 * the holder. Only an appender may append and trim, only a consumer may remove; any may peek.
 */
export async function openLmdbJournal(path: string, role: LmdbJournalRole, options: LmdbJournalOptions = {}): Promise<ContainerJournal> {
  const roles: readonly JournalRole[] = role === 'both' ? ['appender', 'consumer'] : [role];
  // A failed commit (a full disk) must refuse its appends, not end the process.
  guardLmdbCommitFailures();
  const locks: JournalLock[] = [];
  try {
    for (const held of roles) locks.push(await lockJournal(path, held));
    return openHeld(path, roles, locks, options);
  } catch (err) {
    await Promise.all(locks.map((lock) => lock.release()));
    throw err;
  }
}

function openHeld(path: string, roles: readonly JournalRole[], locks: readonly JournalLock[], options: LmdbJournalOptions): ContainerJournal {
  const durable = options.durable ?? true;
  const clock = options.clock ?? Date.now;
  const flushed = options.flushed ?? ((env: RootDatabase) => env.flushed);
  // Every wait for the disk is bounded; an append flush not confirmed in time ends appending.
  const timeoutMs = options.flushTimeoutMs ?? DEFAULT_FLUSH_TIMEOUT_MS;
  // The context of an append wait is the number of appends in its group commit.
  const guard = createFlushGuard<number>({
    timeoutMs,
    store: 'journal',
    onAppendOverdue: (entries, error) => options.onFlushOverdue?.({ entries, timeoutMs, error }),
    closeNote: 'every append acknowledged had its flush confirmed first',
  });
  const envs = openEnvironments(path, durable);

  /** A consumer's handle that appended would be the second appender the lock keeps out. */
  const mustHold = (role: JournalRole, what: string): void => {
    if (!roles.includes(role)) throw new Error(`journal ${path} is open here as ${roles.join(' and ')}: only its ${role} may ${what}`);
  };
  const totals = createRunningTotals(envs);
  const cursor = createConsumerCursor({ envs, totals, guard, durable, flushed, mustHold });
  const keysFor = createKeyAllocator(envs.db, envs.cursorRoot, clock, cursor.through());
  const appender = createJournalAppender({ envs, totals, keysFor, guard, durable, flushed, onCommit: options.onCommit, mustHold });

  return {
    appendContainer: appender.appendContainer,
    peekContainers: cursor.peekContainers,
    removeContainers: cursor.removeContainers,
    trimConsumed: appender.trimConsumed,
    depth: () => totals.depth(cursor.through()),
    async close() {
      // Timed out: the roles stay locked until the process ends (lmdb-js may still write).
      await guard.closed(Promise.all([envs.root.close(), envs.cursorRoot.close()]));
      await Promise.all(locks.map((lock) => lock.release())); // only once nothing more is written
    },
  };
}
