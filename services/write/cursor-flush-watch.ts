// What the write service does when its journal cursor's disk did not confirm a flush within
// EM_WRITE_JOURNAL_FLUSH_TIMEOUT_MS: the removal fails and its batch is retried, each retry writing
// the cursor again and waiting for the disk (lib/journal/lmdb-journal.ts). Meanwhile the cursor does
// not advance, so the operator is told: an error line once, a counter per timed-out removal, and
// /readyz answering 503 for the journal, until a cursor flush is confirmed again.
//
// Unlike the broker (broker/journal-flush-watch.ts, docs/decisions/012-unconfirmed-flush-stops-the-broker.md)
// the write service does not stop: nothing has been acknowledged on the strength of the cursor.
// The broker's PUBACK promises a device its reading is on disk, and after an unconfirmed flush a
// later one proves nothing (fsyncgate); the cursor only says which stored entries need not be
// written again, so a cursor write lost after all replays entries already in InfluxDB (the same
// series and timestamps: harmless). Retrying until the disk answers is decision 012's option 2.
import { Counter, type Registry } from 'prom-client';
import { JOURNAL_REMOVAL } from '../../lib/journal/container-journal.js';
import { FlushTimeoutError } from '../../lib/journal/flush-time-limit.js';
import type { Logger } from '../../lib/log.js';
import type { Clock } from './clock.js';

export interface CursorFlushWatch {
  /** A removal failed with this: the disk did not confirm the cursor's flush within the limit. */
  readonly overdue: (error: FlushTimeoutError) => void;
  /** A removal succeeded: after a time-out that takes a confirmed cursor flush (lmdb-journal.ts). */
  readonly confirmed: () => void;
  /** The journal readiness check's part: throws while a cursor flush is overdue. */
  readonly assertConfirmed: () => void;
}

export interface CursorFlushWatchOptions {
  readonly registry: Registry;
  readonly log: Logger;
  readonly clock: Clock;
}

export function watchCursorFlushes(options: CursorFlushWatchOptions): CursorFlushWatch {
  const { log, clock } = options;
  const timeouts = new Counter({
    name: 'em_write_journal_flush_timeouts_total',
    help: 'Journal removals whose cursor flush the disk did not confirm within EM_WRITE_JOURNAL_FLUSH_TIMEOUT_MS (retried; /readyz 503 until one is confirmed)',
    registers: [options.registry],
  });
  let overdue: { readonly error: FlushTimeoutError; readonly sinceMs: number } | undefined;
  return {
    overdue(error) {
      timeouts.inc();
      if (overdue !== undefined) return; // once per episode: each retry times out again
      overdue = { error, sinceMs: clock.nowMs() };
      log.error(
        { timeoutMs: error.timeoutMs, err: error },
        `the journal's disk did not confirm a cursor flush in ${error.timeoutMs} ms: stored batches are retried and the cursor does not advance until one is confirmed; /readyz answers 503 meanwhile (check the disk: dmesg, SMART, NFS)`,
      );
    },
    confirmed() {
      if (overdue === undefined) return;
      const overdueMs = clock.nowMs() - overdue.sinceMs;
      overdue = undefined;
      log.info({ overdueMs }, 'the journal cursor flush is confirmed again: the cursor advances');
    },
    assertConfirmed() {
      if (overdue !== undefined) throw new Error(`a journal cursor flush is overdue (${overdue.error.message}); removals are retried until the disk confirms one`);
    },
  };
}

/**
 * A removal whose cursor flush the disk did not confirm in time: the watch logs it at error once,
 * so each retry of it is logged at warn. (A dead letter's flush timing out stays an error.)
 */
export function isCursorFlushTimeout(err: unknown): err is FlushTimeoutError {
  return err instanceof FlushTimeoutError && err.what === JOURNAL_REMOVAL;
}
