// The broker's readiness checks (/readyz, served by the metrics server) and their metric.
import type { Registry } from 'prom-client';
import { createReadiness, registerReadinessMetrics, type Readiness } from '../lib/metrics/readiness.js';
import { expectWritablePath } from '../lib/metrics/readiness-checks.js';
import type { ContainerJournal } from '../lib/journal/container-journal.js';
import type { BrokerConfig } from './config.js';
import type { JournalFlushWatch } from './journal-flush-watch.js';

export function createBrokerReadiness(
  config: Readonly<Pick<BrokerConfig, 'journalPath' | 'deadLetterPath'>>,
  journal: ContainerJournal,
  flushWatch: JournalFlushWatch,
  registry: Registry,
): Readiness {
  // Ready = the journal can take appends (open, writable, disk not full): without it no PUBACK leaves.
  const readiness = createReadiness([
    {
      name: 'journal',
      async run() {
        flushWatch.assertConfirmed(); // the disk did not confirm a flush: no more appends
        journal.depth(); // throws once the environment is closed
        await expectWritablePath(config.journalPath);
      },
    },
    { name: 'dead-letters', run: () => expectWritablePath(config.deadLetterPath) },
  ]);
  registerReadinessMetrics(registry, readiness);
  return readiness;
}
