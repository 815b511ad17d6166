// The outbox's waits for the SD card, each bounded by the flush time limit
// (lib/journal/flush-time-limit.ts), and the rule for an append flush the card did not confirm in
// time: this outbox confirms no append again, for any agent of its environment. The agent then
// stops and exits 1 for systemd (or the fleet's supervisor) to start it again
// (outbox-flush-watch.ts).
//
// Why not wait, or carry on once the card answers: the broker journal's reason (decision 012,
// PostgreSQL's "fsyncgate"). After a failed or hung fsync a later fsync's success does not prove
// the earlier pages reached the disk, and LMDB is copy-on-write: every later commit shares the
// unconfirmed commit's pages, and its meta page, once synced, points at them. A container sealed
// on top of them could be lost in a power cut after it was published and its seq taken as used.
// So once an append times out, nothing more is sealed in this process, even an append whose own
// flush was already under way and answers later (fleet agents append concurrently).
import { FlushTimeoutError, withinFlushTime } from '../lib/journal/flush-time-limit.js';

export interface OutboxFlushGuard {
  /** Throws the time-out of an unconfirmed append flush, once there was one. */
  assertConfirming(): void;
  /** Waits for an append's commit and flush; a time-out ends all appending. */
  appendDurable<T>(durable: PromiseLike<T>, agentId: string, seq: number): Promise<T>;
  /** Waits for another write (a removal); a time-out fails this wait only (the entry is resent). */
  durable<T>(durable: PromiseLike<T>, what: string): Promise<T>;
  /** Waits for the environment to close: lmdb-js waits for the last commit's flush first. */
  closed(closing: PromiseLike<unknown>): Promise<void>;
}

export interface OutboxFlushGuardOptions {
  readonly timeoutMs: number;
  /** Told once: the first append flush not confirmed in time. */
  readonly onAppendOverdue?: (agentId: string, seq: number, error: FlushTimeoutError) => void;
}

export function createOutboxFlushGuard({ timeoutMs, onAppendOverdue }: OutboxFlushGuardOptions): OutboxFlushGuard {
  let unconfirmed: FlushTimeoutError | undefined;
  const assertConfirming = (): void => {
    if (unconfirmed !== undefined) throw unconfirmed;
  };
  return {
    assertConfirming,
    async appendDurable(durable, agentId, seq) {
      try {
        const value = await withinFlushTime(durable, timeoutMs, 'outbox append', () => `agent ${agentId}, seq ${seq}`);
        assertConfirming(); // confirmed by an fsync after the one that did not answer: proves nothing
        return value;
      } catch (err) {
        if (err instanceof FlushTimeoutError && unconfirmed === undefined) {
          unconfirmed = err;
          onAppendOverdue?.(agentId, seq, err);
        }
        throw err;
      }
    },
    durable: (durable, what) => withinFlushTime(durable, timeoutMs, what),
    async closed(closing) {
      // lmdb-js settles close() once its last commit is flushed; it never settles the flush of a
      // commit that failed (a full card), nor one the card does not answer.
      await withinFlushTime(
        closing,
        timeoutMs,
        'outbox close',
        () => 'lmdb-js still waits for the flush of the last commit; every container sealed had its flush confirmed first',
      );
    },
  };
}
