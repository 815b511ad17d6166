// How a handle on the LMDB journal is opened (openLmdbJournal, lmdb-journal.ts) and what it tells
// its opener: the broker's metrics (onCommit) and its flush watch (onFlushOverdue).
import type { RootDatabase } from 'lmdb';
import type { FlushTimeoutError } from './flush-time-limit.js';
import type { JournalRole } from './journal-lock.js';

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
