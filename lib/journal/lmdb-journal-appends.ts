// The appender's writes to the LMDB journal: appends, group-committed (group-commit.ts), and the
// trimming of consumed entries, which rides in the appends' transactions.
import type { ContainerJournal, JournalKey } from './container-journal.js';
import type { FlushGuard } from './flush-guard.js';
import { createGroupCommit } from './group-commit.js';
import type { JournalRole } from './journal-lock.js';
import { APPENDED_TOTAL_KEY, storedCursor, type LmdbJournalEnvironments } from './lmdb-journal-environments.js';
import type { KeysFor } from './lmdb-journal-keys.js';
import type { LmdbJournalOptions } from './lmdb-journal-options.js';
import type { RunningTotals } from './lmdb-journal-totals.js';

/** The handle's appendContainer and trimConsumed (container-journal.ts). */
export type JournalAppender = Pick<ContainerJournal, 'appendContainer' | 'trimConsumed'>;

export interface JournalAppenderParts {
  readonly envs: LmdbJournalEnvironments;
  readonly totals: RunningTotals;
  readonly keysFor: KeysFor;
  readonly guard: FlushGuard<number>;
  readonly durable: boolean;
  readonly flushed: NonNullable<LmdbJournalOptions['flushed']>;
  readonly onCommit: LmdbJournalOptions['onCommit'];
  /** Throws unless this handle holds `role`. */
  readonly mustHold: (role: JournalRole, what: string) => void;
}

export function createJournalAppender(parts: JournalAppenderParts): JournalAppender {
  const { envs, totals, keysFor, guard, durable, flushed, onCommit, mustHold } = parts;
  const { root, db, meta, cursorRoot } = envs;

  // Left to itself lmdb-js starts a transaction for nearly every event-loop turn that wrote
  // something: about 2,000 a second at 12,000 appends/s from 50 sockets, each costing the broker's
  // main thread a native async job, a thread wake-up and promise plumbing. Grouping explicitly
  // made that about 200 a second (60 appends each) and the broker's CPU per message 13 % lower at
  // 5,000 msgs/s (docs/benchmarks.md). Puts made in one turn are one lmdb-js transaction.
  // The running total goes in the same transaction as the group (lmdb-js commits the writes of one
  // turn together), so a crash leaves both or neither.
  // The time limit covers the writes as well as `flushed`: lmdb-js resolves a write only after its
  // commit's fdatasync, so a hung sync holds the writes too. One timer per group commit.
  const appends = createGroupCommit<Buffer, JournalKey>(async (group) => {
    guard.assertConfirming(); // the appends queued behind an unconfirmed commit
    const total = totals.appendedNow() + group.length;
    const startedAt = performance.now();
    const keys = keysFor(group.length);
    const written = Promise.all([...group.map((value, i) => db.put(keys[i] as JournalKey, value)), meta.put(APPENDED_TOTAL_KEY, total)]);
    await guard.appendDurable(durable ? written.then(() => flushed(root)) : written, group.length);
    totals.appendedDurable(total);
    onCommit?.({ entries: group.length, durableMs: performance.now() - startedAt });
    return keys;
  });

  async function appendContainer(container: Uint8Array): Promise<JournalKey> {
    mustHold('appender', 'append');
    guard.assertConfirming();
    // The key is the one the commit stored the entry under (keysFor).
    return await appends.add(Buffer.from(container.buffer, container.byteOffset, container.byteLength));
  }

  async function trimConsumed(maxEntries: number): Promise<number> {
    mustHold('appender', 'trim');
    guard.assertConfirming(); // its deletions would wait behind the unconfirmed commit
    const through = storedCursor(cursorRoot);
    db.resetReadTxn();
    const keys = [...db.getKeys({ end: through, inclusiveEnd: true, limit: maxEntries })].filter((key) => key <= through);
    // Not awaited one by one: lmdb-js puts these into the transaction that carries the next
    // appends, so trimming costs no transaction and no fsync of its own.
    if (keys.length > 0) await guard.durable(Promise.all(keys.map((key) => db.remove(key))), 'journal trim');
    return keys.length;
  }

  return { appendContainer, trimConsumed };
}
