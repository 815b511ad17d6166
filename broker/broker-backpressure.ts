// The journal's backpressure as the broker runs it: the journal's depth against the configured
// water marks, each change of state in a gauge and in the log.
import type { ContainerJournal } from '../lib/journal/container-journal.js';
import type { Logger } from '../lib/log.js';
import type { BrokerConfig } from './config.js';
import { createJournalBackpressure, type JournalBackpressure } from './journal-backpressure.js';
import type { BrokerMetrics } from './metrics.js';

export function createBrokerBackpressure(
  config: Readonly<Pick<BrokerConfig, 'backpressure'>>,
  journal: ContainerJournal,
  metrics: BrokerMetrics,
  log: Logger,
): JournalBackpressure {
  return createJournalBackpressure({
    depth: () => journal.depth(),
    ...config.backpressure,
    onChange(active, entries) {
      metrics.backpressureActive.set(active ? 1 : 0);
      if (active) log.warn({ entries, highWaterEntries: config.backpressure.highWaterEntries }, 'journal over its high-water mark: holding PUBACKs');
      else log.info({ entries }, 'journal drained below its low-water mark: PUBACKs flow again');
    },
  });
}
