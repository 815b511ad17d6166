// An LMDB store's waits for the disk, each bounded by the flush time limit (flush-time-limit.ts),
// and the rule for an append flush the disk did not confirm in time: this handle confirms no append
// again. Its appends, and every later one, are refused, even an append whose own flush was already
// under way and answers later; the process then stops and its supervisor starts it again. Used by
// the broker's journal (lmdb-journal.ts, broker/journal-flush-watch.ts) and the device agent's
// outbox (device-agent/outbox.ts, device-agent/outbox-flush-watch.ts).
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
// still with its senders (the devices' outboxes, the agent's unsealed readings): a container that
// did reach the disk as well is replayed to the same series and timestamps (harmless).
import { FlushTimeoutError, withinFlushTime } from './flush-time-limit.js';

export interface FlushGuard<Context> {
  /** Throws the time-out of an unconfirmed append flush, once there was one. */
  assertConfirming(): void;
  /** Waits for an append (a group commit, a seal) to be durable; a time-out ends all appending. */
  appendDurable<T>(durable: PromiseLike<T>, context: Context): Promise<T>;
  /** Waits for another write (a removal, a trim) to be durable; a time-out fails this wait only. */
  durable<T>(durable: PromiseLike<T>, what: string): Promise<T>;
  /**
   * Waits for the environments to close: lmdb-js waits for the last commit's flush first. `waitsFor`
   * says what it waits for when that times out; by default the last write that failed, if any.
   */
  closed(closing: PromiseLike<unknown>, waitsFor?: string): Promise<void>;
}

export interface FlushGuardOptions<Context> {
  readonly timeoutMs: number;
  /** Whose waits these are, as error messages start: "journal" gives "journal append: …", "journal close: …". */
  readonly store: string;
  /** Added to an append's time-out message ("agent a-1, seq 7"). */
  readonly describe?: (context: Context) => string;
  /** Told once: the first append whose flush the disk did not confirm in time. */
  readonly onAppendOverdue?: (context: Context, error: FlushTimeoutError) => void;
  /** How close()'s time-out message ends: what was confirmed before it ("every append acknowledged had its flush confirmed first"). */
  readonly closeNote: string;
}

export function createFlushGuard<Context>(options: FlushGuardOptions<Context>): FlushGuard<Context> {
  const { timeoutMs, store } = options;
  let unconfirmed: FlushTimeoutError | undefined;
  /** How the last write ended, when it did not succeed: what close() may still be waiting for. */
  let lastFailure: string | undefined;
  const assertConfirming = (): void => {
    if (unconfirmed !== undefined) throw unconfirmed;
  };

  const noted = async <T>(durable: PromiseLike<T>, what: string, detail?: () => string): Promise<T> => {
    try {
      const value = await withinFlushTime(durable, timeoutMs, what, detail);
      lastFailure = undefined;
      return value;
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
    assertConfirming,
    async appendDurable(durable, context) {
      const detail = options.describe === undefined ? undefined : (): string => (options.describe as (context: Context) => string)(context);
      try {
        const value = await noted(durable, `${store} append`, detail);
        assertConfirming(); // confirmed by an fsync after one that did not answer: proves nothing
        return value;
      } catch (err) {
        if (err instanceof FlushTimeoutError && unconfirmed === undefined) {
          unconfirmed = err;
          options.onAppendOverdue?.(context, err);
        }
        throw err;
      }
    },
    durable: noted,
    async closed(closing, waitsFor) {
      // lmdb-js settles close() once its last commit is flushed; the flush of a commit that failed
      // (a full disk) is never settled, so without the limit close() never returned.
      await withinFlushTime(
        closing,
        timeoutMs,
        `${store} close`,
        () => `lmdb-js still waits for the flush of ${waitsFor ?? lastFailure ?? 'the last commit'}; ${options.closeNote}`,
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
