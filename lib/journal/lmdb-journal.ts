// ContainerJournal on LMDB (docs/decisions/002-journal-lmdb.md). One environment is shared by the
// broker process (appends) and the write-service process (peeks); LMDB's robust writer mutex and
// copy-on-write pages make both sides safe against kill -9 at any instant.
//
// The consumer never writes to that environment. It records how far it has stored — the
// "consumed-through" key, below which every entry is stored — in a small environment of its own
// (`<path>/consumed`), and the producer deletes consumed entries inside its own append
// transactions (trimConsumed). LMDB has one writer at a time per environment: when the consumer
// removed a 5,000-entry batch itself, its transaction and fsync held the lock every append waits
// for, and the devices' PUBACKs waited with them (docs/benchmarks.md, "PUBACK tail"). Kafka keeps
// consumer offsets apart from the log for the same reason.
//
// The depth (entries not yet consumed) is the difference of two running totals, each written in
// the same transaction as what it counts: containers ever appended (producer environment, `meta`)
// and entries the cursor has ever passed (consumer environment). Counting keys instead cost a walk
// over every stored-but-untrimmed entry per metrics scrape: with the broker down and the write
// service draining a backlog of 290,000 containers, that walk took 46 % of the write service's
// CPU (docs/benchmarks.md).
//
// Keys come from a counter in the appending process and the cursor from the consuming one, so each
// role has one holder per journal: a handle locks its role (journal-lock.ts) and does only that
// role's writes.
import { join } from 'node:path';
import { open, type Database, type RootDatabase } from 'lmdb';
import { readLmdbStats } from '../lmdb-stats.js';
import { JOURNAL_REMOVAL, type ContainerJournal, type JournalEntry, type JournalKey, type PeekOptions } from './container-journal.js';
import { DEFAULT_FLUSH_TIMEOUT_MS, type FlushTimeoutError } from './flush-time-limit.js';
import { createGroupCommit } from './group-commit.js';
import { createFlushGuard } from './flush-guard.js';
import { lockJournal, type JournalLock, type JournalRole } from './journal-lock.js';
import { guardLmdbCommitFailures } from './lmdb-commit-failures.js';

/** The broker appends (and trims); the write service consumes; tests and benchmarks may do both. */
export type LmdbJournalRole = JournalRole | 'both';

export interface LmdbJournalOptions {
  /**
   * true (default): an append resolves only after its transaction is flushed to disk. Appends
   * that arrive while a commit is in progress go together into the next transaction (group
   * commit, group-commit.ts): many devices share one fsync.
   */
  readonly durable?: boolean;
  readonly clock?: () => number;
  /** Told about every group commit of appends, once it is durable (metrics: how the disk is doing). */
  readonly onCommit?: (commit: JournalCommit) => void;
  /**
   * The flush a durable commit waits for: lmdb-js's `root.flushed` (tests: one that never settles,
   * a disk that does not answer).
   */
  readonly flushed?: (root: RootDatabase) => PromiseLike<unknown>;
  /**
   * How long a commit, and close(), may wait for the disk to confirm its flush before failing with
   * FlushTimeoutError (flush-time-limit.ts). Default DEFAULT_FLUSH_TIMEOUT_MS.
   */
  readonly flushTimeoutMs?: number;
  /** Told once, when a group commit of appends was not confirmed in time: this handle appends no more. */
  readonly onFlushOverdue?: (overdue: FlushOverdue) => void;
}

/** A group commit of appends whose flush the disk did not confirm within the limit. */
export interface FlushOverdue {
  /** Appends of the group, each refused with `error`. */
  readonly entries: number;
  readonly timeoutMs: number;
  readonly error: FlushTimeoutError;
}

/** One group commit of appends: how many shared it, and how long it took to be durable. */
export interface JournalCommit {
  readonly entries: number;
  /**
   * From starting the group's transaction until it was on disk. lmdb-js resolves a write only once
   * its commit is flushed (fdatasync), so the write and the flush cannot be told apart from here;
   * with the flush skipped (durable: false) the same commit takes about 0.1 ms at 13,000
   * appends/s, so the rest is the disk.
   */
  readonly durableMs: number;
}

const CURSOR_KEY = 'consumed-through';
/** Entries the cursor has passed, ever: written with the cursor, in the consumer's environment. */
const CONSUMED_TOTAL_KEY = 'consumed-total';
/** Containers appended, ever: written with each group of appends, in the producer's environment. */
const APPENDED_TOTAL_KEY = 'appended-total';

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
  const root: RootDatabase = open({ path, compression: false, noSync: !durable });
  const db: Database<Buffer, number> = root.openDB({ name: 'containers', encoding: 'binary' });
  const meta: Database<number, string> = root.openDB({ name: 'meta' });
  const cursorRoot: RootDatabase<number, string> = open({ path: join(path, 'consumed'), compression: false, noSync: !durable });

  /** A consumer's handle that appended would be the second appender the lock keeps out. */
  const mustHold = (role: JournalRole, what: string): void => {
    if (!roles.includes(role)) throw new Error(`journal ${path} is open here as ${roles.join(' and ')}: only its ${role} may ${what}`);
  };
  const storedCursor = (): JournalKey => {
    cursorRoot.resetReadTxn(); // the other process writes it
    return cursorRoot.get(CURSOR_KEY) ?? 0;
  };
  /** This handle's consumed-through key; the stored one is read again where another process may have moved it. */
  let consumedThrough = storedCursor();
  /** Stored (removeContainers) but above the cursor: an earlier entry is still being written. */
  const storedAbove = new Set<JournalKey>();
  /** The last cursor write failed or its flush timed out: until one is confirmed, every removal writes the cursor again. */
  let cursorUnconfirmed = false;

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
  function keysFor(count: number): JournalKey[] {
    db.resetReadTxn();
    const first = Math.max(nextKey, lastKey(db) + 1, storedCursor() + 1);
    nextKey = first + count;
    return Array.from({ length: count }, (_, i) => first + i);
  }

  /** Entries above `through` (not consumed), counted one by one: only where a running total is missing. */
  function countAbove(through: JournalKey): number {
    return db.getKeysCount({ start: through + 1 });
  }

  /** The consumer's running total, as stored with the cursor (or as counted for an older journal). */
  let consumedTotal: number | undefined;
  function consumedTotalNow(): number {
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

  /** Moves the cursor over every leading entry that has been stored; true if it moved. */
  function advanceCursor(): boolean {
    const before = consumedThrough;
    const totalBefore = consumedTotalNow();
    let passed = 0;
    db.resetReadTxn();
    for (const key of db.getKeys({ start: consumedThrough + 1 })) {
      if (!storedAbove.has(key)) break;
      storedAbove.delete(key);
      consumedThrough = key;
      passed++;
    }
    if (consumedThrough === before) return false;
    consumedTotal = totalBefore + passed;
    // Keys removed twice or never peeked may sit below the cursor now: forget them.
    for (const key of storedAbove) if (key <= consumedThrough) storedAbove.delete(key);
    return true;
  }

  // Left to itself lmdb-js starts a transaction for nearly every event-loop turn that wrote
  // something: about 2,000 a second at 12,000 appends/s from 50 sockets, each costing the broker's
  // main thread a native async job, a thread wake-up and promise plumbing. Grouping explicitly
  // made that about 200 a second (60 appends each) and the broker's CPU per message 13 % lower at
  // 5,000 msgs/s (docs/benchmarks.md). Puts made in one turn are one lmdb-js transaction.
  // The running total goes in the same transaction as the group (lmdb-js commits the writes of one
  // turn together), so a crash leaves both or neither.
  const onCommit = options.onCommit;
  // The time limit covers the writes as well as `flushed`: lmdb-js resolves a write only after its
  // commit's fdatasync, so a hung sync holds the writes too. One timer per group commit.
  const appends = createGroupCommit<Buffer, JournalKey>(async (group) => {
    guard.assertConfirming(); // the appends queued behind an unconfirmed commit
    const total = appendedTotalNow() + group.length;
    const startedAt = performance.now();
    const keys = keysFor(group.length);
    const written = Promise.all([...group.map((value, i) => db.put(keys[i] as JournalKey, value)), meta.put(APPENDED_TOTAL_KEY, total)]);
    await guard.appendDurable(durable ? written.then(() => flushed(root)) : written, group.length);
    appendedTotal = total;
    onCommit?.({ entries: group.length, durableMs: performance.now() - startedAt });
    return keys;
  });

  return {
    async appendContainer(container) {
      mustHold('appender', 'append');
      guard.assertConfirming();
      // The key is the one the commit stored the entry under (keysFor).
      return await appends.add(Buffer.from(container.buffer, container.byteOffset, container.byteLength));
    },
    peekContainers(peek: PeekOptions): JournalEntry[] {
      // Another process appends: start a fresh read snapshot so its commits are visible.
      db.resetReadTxn();
      consumedThrough = Math.max(consumedThrough, storedCursor());
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
    },
    async removeContainers(keys: readonly JournalKey[]) {
      mustHold('consumer', 'remove entries');
      for (const key of keys) if (key > consumedThrough) storedAbove.add(key);
      // A retry after a failure moves nothing (the cursor moved in memory), but must not succeed
      // without a confirmed flush: its caller takes success as the cursor being on disk.
      if (!advanceCursor() && !cursorUnconfirmed) return;
      // One transaction: the cursor and the total it implies.
      const written = Promise.all([cursorRoot.put(CURSOR_KEY, consumedThrough), cursorRoot.put(CONSUMED_TOTAL_KEY, consumedTotalNow())]);
      // Timed out: the batch is retried; the cursor is not what acknowledges a reading, and a
      // cursor write lost after all only replays stored entries.
      try {
        await guard.durable(durable ? written.then(() => flushed(cursorRoot)) : written, JOURNAL_REMOVAL);
        cursorUnconfirmed = false;
      } catch (err) {
        cursorUnconfirmed = true;
        throw err;
      }
    },
    async trimConsumed(maxEntries: number) {
      mustHold('appender', 'trim');
      guard.assertConfirming(); // its deletions would wait behind the unconfirmed commit
      const through = storedCursor();
      db.resetReadTxn();
      const keys = [...db.getKeys({ end: through, inclusiveEnd: true, limit: maxEntries })].filter((key) => key <= through);
      // Not awaited one by one: lmdb-js puts these into the transaction that carries the next
      // appends, so trimming costs no transaction and no fsync of its own.
      if (keys.length > 0) await guard.durable(Promise.all(keys.map((key) => db.remove(key))), 'journal trim');
      return keys.length;
    },
    depth() {
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
    },
    async close() {
      // Timed out: the roles stay locked until the process ends (lmdb-js may still write).
      await guard.closed(Promise.all([root.close(), cursorRoot.close()]));
      await Promise.all(locks.map((lock) => lock.release())); // only once nothing more is written
    },
  };
}

function lastKey(db: Database<Buffer, number>): number {
  for (const key of db.getKeys({ reverse: true, limit: 1 })) return key;
  return 0;
}
