// Reclaims journal entries the write service has stored (lib/journal/lmdb-journal.ts). The broker
// is the only process that writes to the journal, so trimming here costs no extra lock or fsync:
// the deletions ride in the transactions that carry the devices' appends.
import type { ContainerJournal } from '../lib/journal/container-journal.js';
import type { Logger } from '../lib/log.js';

export interface JournalTrimmerOptions {
  /** How often to look for stored entries when the last pass found fewer than a batch. */
  readonly intervalMs: number;
  /** Deletions per pass: small enough that one transaction stays short next to the appends in it. */
  readonly batchEntries: number;
}

export const DEFAULT_TRIM: JournalTrimmerOptions = Object.freeze({ intervalMs: 100, batchEntries: 1000 });

export interface JournalTrimmer {
  /** Resolves once the pass under way (if any) has finished. */
  stop(): Promise<void>;
}

export function startJournalTrimmer(journal: Pick<ContainerJournal, 'trimConsumed'>, log: Logger, options: JournalTrimmerOptions = DEFAULT_TRIM): JournalTrimmer {
  let stopped = false;
  let timer: NodeJS.Timeout | undefined;
  let pass: Promise<void> = Promise.resolve();

  const schedule = (delayMs: number): void => {
    if (stopped) return;
    timer = setTimeout(() => {
      pass = trimOnce();
    }, delayMs);
    timer.unref();
  };

  async function trimOnce(): Promise<void> {
    try {
      const trimmed = await journal.trimConsumed(options.batchEntries);
      // A full batch means a backlog of stored entries (the writer caught up after an outage):
      // keep going at once, one short transaction at a time.
      schedule(trimmed === options.batchEntries ? 0 : options.intervalMs);
    } catch (err) {
      log.error({ err }, 'trimming stored journal entries failed; retrying');
      schedule(options.intervalMs * 10);
    }
  }

  schedule(options.intervalMs);
  return {
    async stop() {
      stopped = true;
      clearTimeout(timer);
      await pass;
    },
  };
}
