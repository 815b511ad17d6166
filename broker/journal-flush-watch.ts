// What the broker does when its journal's disk did not confirm a flush within
// EM_BROKER_JOURNAL_FLUSH_TIMEOUT_MS (lib/journal/flush-guard.ts): the appends of that
// commit were refused (no PUBACK; their connections close and the agents resend), and the journal
// handle confirms no append again. So the operator is told (an error line, a counter, /readyz
// answering 503 for the journal) and the broker stops and exits 1, for its supervisor to start it
// again: a new process opens the journal as LMDB finds it, and if the disk still does not answer,
// its first flush times out too, visibly, rather than the broker living on refusing every reading.
//
// Exiting loses nothing acknowledged: each PUBACK followed a flush the disk confirmed, and what
// is in the journal stays there for the write service. Refusing instead of waiting for the disk
// to come back is the PostgreSQL "fsyncgate" lesson (lib/journal/flush-guard.ts): after a failed or
// hung fsync, a later fsync's success does not prove the earlier pages reached the disk.
import { Counter, type Registry } from 'prom-client';
import type { FlushOverdue } from '../lib/journal/lmdb-journal.js';
import type { Logger } from '../lib/log.js';

export interface JournalFlushWatch {
  /** lmdb-journal's onFlushOverdue. */
  readonly overdue: (overdue: FlushOverdue) => void;
  /** The readiness check's part: throws once a flush went unconfirmed (the journal takes no appends). */
  readonly assertConfirmed: () => void;
}

export interface JournalFlushWatchOptions {
  readonly registry: Registry;
  readonly log: Logger;
  /** Told once: the broker cannot go on (main.ts stops it and exits 1). */
  readonly onUnconfirmed?: (error: Error) => void;
}

export function watchJournalFlushes(options: JournalFlushWatchOptions): JournalFlushWatch {
  const timeouts = new Counter({
    name: 'em_broker_journal_flush_timeouts_total',
    help: 'Journal group commits whose flush the disk did not confirm within EM_BROKER_JOURNAL_FLUSH_TIMEOUT_MS (the broker then stops)',
    registers: [options.registry],
  });
  let unconfirmed: Error | undefined;
  return {
    overdue: ({ entries, timeoutMs, error }) => {
      timeouts.inc();
      if (unconfirmed !== undefined) return;
      unconfirmed = error;
      options.log.error(
        { entries, timeoutMs, err: error },
        `the journal's disk did not confirm a flush in ${timeoutMs} ms: ${entries} appends refused (no PUBACK, their agents resend); the journal takes no more appends and the broker stops (check the disk: dmesg, SMART, NFS)`,
      );
      options.onUnconfirmed?.(error);
    },
    assertConfirmed: () => {
      if (unconfirmed !== undefined) throw new Error(`a journal flush was not confirmed by the disk: ${unconfirmed.message}`);
    },
  };
}
