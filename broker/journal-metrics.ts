// The journal's metrics as the broker sees it: its depth, read at scrape time, and its group commits.
import { Gauge, Histogram, type Registry } from 'prom-client';
import type { ContainerJournal } from '../lib/journal/container-journal.js';
import type { JournalCommit } from '../lib/journal/lmdb-journal.js';

/** What the journal holds and has not yet stored in InfluxDB, read from it at scrape time. */
export function registerJournalDepthMetrics(registry: Registry, journal: ContainerJournal): void {
  new Gauge({
    name: 'em_journal_depth_entries',
    help: 'Containers in the journal, not yet stored in InfluxDB',
    registers: [registry],
    collect() {
      this.set(journal.depth().entries);
    },
  });
  new Gauge({
    name: 'em_journal_depth_bytes',
    help: 'Bytes of journal pages in use',
    registers: [registry],
    collect() {
      this.set(journal.depth().bytes);
    },
  });
}

/**
 * Metrics of the journal's group commits, fed by lmdb-journal.ts (onCommit): the disk's share of
 * the PUBACK wait, apart from queueing behind the commit before. The commit's write takes about
 * 0.1 ms; the rest is its flush (fsync), which is what grows on a disk shared with InfluxDB
 * (docs/benchmarks.md, ingest spine, "Eighth look").
 */
export function createJournalCommitMetrics(registry: Registry): (commit: JournalCommit) => void {
  const commitSeconds = new Histogram({
    name: 'em_broker_journal_commit_seconds',
    help: 'Time each journal group commit took to be durable: its transaction and the flush to disk (fsync) it waits for',
    buckets: [0.0002, 0.0005, 0.001, 0.002, 0.005, 0.01, 0.02, 0.05, 0.1, 0.25, 1],
    registers: [registry],
  });
  const commitEntries = new Histogram({
    name: 'em_broker_journal_commit_entries',
    help: 'Containers per journal group commit: how many publishes shared one fsync',
    buckets: [1, 2, 5, 10, 20, 50, 100, 200, 500, 1000, 5000],
    registers: [registry],
  });
  return (commit) => {
    commitSeconds.observe(commit.durableMs / 1000);
    commitEntries.observe(commit.entries);
  };
}
