// The broker's journal: opened for appends, with its commit metrics and the watch on flushes its
// disk does not confirm in time (journal-flush-watch.ts).
import type { Registry } from 'prom-client';
import type { ContainerJournal } from '../lib/journal/container-journal.js';
import { openLmdbJournal } from '../lib/journal/lmdb-journal.js';
import type { Logger } from '../lib/log.js';
import type { BrokerConfig } from './config.js';
import { watchJournalFlushes, type JournalFlushWatch } from './journal-flush-watch.js';
import { createJournalCommitMetrics } from './journal-metrics.js';

export interface BrokerJournal {
  readonly journal: ContainerJournal;
  readonly flushWatch: JournalFlushWatch;
}

export interface BrokerJournalDeps {
  readonly registry: Registry;
  readonly log: Logger;
  /** Told once when the journal's disk did not confirm a flush in time: the broker must stop (main.ts). */
  readonly onUnconfirmed: ((error: Error) => void) | undefined;
}

export async function openBrokerJournal(
  config: Readonly<Pick<BrokerConfig, 'journalPath' | 'journalDurable' | 'journalFlushTimeoutMs'>>,
  deps: BrokerJournalDeps,
): Promise<BrokerJournal> {
  const { registry } = deps;
  const flushWatch = watchJournalFlushes({ registry, log: deps.log, onUnconfirmed: deps.onUnconfirmed });
  const journal = await openLmdbJournal(config.journalPath, 'appender', {
    durable: config.journalDurable,
    onCommit: createJournalCommitMetrics(registry),
    flushTimeoutMs: config.journalFlushTimeoutMs,
    onFlushOverdue: flushWatch.overdue,
  });
  return { journal, flushWatch };
}
