// The journal's waits for the disk, each bounded by the flush time limit (flush-time-limit.ts), and
// the rule for an append flush the disk did not confirm in time: this handle confirms no append
// again. Its appends, and every later one, are refused; the broker then stops and its supervisor
// starts it again (broker/journal-flush-watch.ts).
//
// Why not wait and carry on once the disk answers: PostgreSQL's "fsyncgate" (2018). After a failed
// fsync, Linux may have marked the dirty pages clean, or dropped them, so a retried fsync reports
// success for data that never reached the disk; PostgreSQL now treats a failed fsync as fatal
// (data_sync_retry = off) and recovers from what is on disk. LMDB is copy-on-write: every later
// commit shares the pages of the unconfirmed one, and its meta page, once synced, points at them.
// A later commit confirmed by a later fsync would be acknowledged on top of pages that may not be
// on disk, and a power cut then loses it with the rest of the tree. A flush that hangs is no
// better: it may still fail. So after a time-out nothing more is confirmed by this handle; what it
// had confirmed before had its own successful fsync and stays acknowledged, and what it refused is
// still in the devices' outboxes: they resend, and a container that did reach the disk as well is
// replayed to the same series and timestamps (harmless).
import { FlushTimeoutError, withinFlushTime } from './flush-time-limit.js';

export interface FlushGuard {
  /** Throws the time-out of an unconfirmed append flush, once there was one. */
  assertConfirming(): void;
  /** Waits for a group commit of `entries` appends to be durable; a time-out ends all appending. */
  appendsDurable(durable: PromiseLike<unknown>, entries: number): Promise<void>;
  /** Waits for another write (a removal, a trim) to be durable; a time-out fails this wait only. */
  durable(durable: PromiseLike<unknown>, what: string): Promise<void>;
  /** Waits for the environments to close: lmdb-js waits for the last commit's flush first. */
  closed(closing: PromiseLike<unknown>): Promise<void>;
}

export interface FlushGuardOptions {
  readonly timeoutMs: number;
  readonly onAppendsOverdue?: (overdue: { readonly entries: number; readonly timeoutMs: number; readonly error: FlushTimeoutError }) => void;
}

export function createFlushGuard(options: FlushGuardOptions): FlushGuard {
  const { timeoutMs } = options;
  let unconfirmed: FlushTimeoutError | undefined;
  /** How the last write ended, when it did not succeed: what close() may still be waiting for. */
  let lastFailure: string | undefined;

  const noted = async (durable: PromiseLike<unknown>, what: string): Promise<void> => {
    try {
      await withinFlushTime(durable, timeoutMs, what);
      lastFailure = undefined;
    } catch (err) {
      lastFailure = `the last ${what}, which failed: ${describe(err)}`;
      // lmdb-js rejects a failed commit's writes with "Commit failed" and its cause a moment later.
      const cause = causeOf(err);
      if (cause !== undefined) {
        const failure = lastFailure;
        cause.catch((reason: unknown) => {
          if (lastFailure === failure) lastFailure = `${failure} (${describe(reason)})`;
        });
      }
      throw err;
    }
  };

  return {
    assertConfirming() {
      if (unconfirmed !== undefined) throw unconfirmed;
    },
    async appendsDurable(durable, entries) {
      try {
        await noted(durable, 'journal append');
      } catch (err) {
        if (err instanceof FlushTimeoutError && unconfirmed === undefined) {
          unconfirmed = err;
          options.onAppendsOverdue?.({ entries, timeoutMs, error: err });
        }
        throw err;
      }
    },
    durable: noted,
    async closed(closing) {
      // lmdb-js settles close() once its last commit is flushed; the flush of a commit that failed
      // (a full disk) is never settled, so without the limit close() never returned.
      await withinFlushTime(
        closing,
        timeoutMs,
        'journal close',
        () => `lmdb-js still waits for the flush of ${lastFailure ?? 'the last commit'}; every append acknowledged had its flush confirmed first`,
      );
    },
  };
}

const describe = (err: unknown): string => (err instanceof Error ? err.message : String(err));

/** The cause lmdb-js rejects separately for a failed commit (lmdb-commit-failures.ts). */
function causeOf(err: unknown): Promise<unknown> | undefined {
  const cause: unknown = err instanceof Error && 'commitError' in err ? err.commitError : undefined;
  return cause instanceof Promise ? cause : undefined;
}
