// Write-service metrics (Prometheus): what was stored, how fast, what InfluxDB refused, and how
// far behind the journal is. Names follow <namespace>_<subsystem>_<unit> conventions.
import { Counter, Gauge, Histogram, type Registry } from 'prom-client';
import type { ContainerJournal } from '../../lib/journal/container-journal.js';
import { WRITE_DEAD_LETTER_REASONS } from './dead-letter-reasons.js';
import { WRITE_ERROR_KINDS } from './influx-writer.js';

export interface WriteMetrics {
  readonly pointsWritten: Counter;
  readonly lateHourMarks: Counter;
  readonly batches: Counter;
  readonly batchLines: Histogram;
  readonly requestSeconds: Histogram<'outcome'>;
  readonly influxErrors: Counter<'kind'>;
  readonly retries: Counter;
  readonly deadLetters: Counter<'reason'>;
  readonly requestsInFlight: Gauge;
  readonly lagSeconds: Histogram;
}

export function createWriteMetrics(registry: Registry, journal: () => ContainerJournal | undefined): WriteMetrics {
  registerJournalDepth(registry, journal);
  const registers = [registry];
  const metrics: WriteMetrics = {
    pointsWritten: new Counter({ name: 'em_write_points_written_total', help: 'Points InfluxDB accepted (204)', registers }),
    lateHourMarks: new Counter({ name: 'em_write_late_hour_marks_total', help: 'Marks of hours that received readings too late for the continuous queries (late-hour-marks.ts)', registers }),
    batches: new Counter({ name: 'em_write_batches_total', help: 'Batches stored and removed from the journal', registers }),
    batchLines: new Histogram({
      name: 'em_write_batch_lines',
      help: 'Lines per batch, as assembled (before any split)',
      buckets: [1, 10, 50, 100, 500, 1000, 2500, 5000, 10000],
      registers,
    }),
    requestSeconds: new Histogram({
      name: 'em_write_request_seconds',
      help: 'Duration of each POST /write (gzip included), by outcome',
      labelNames: ['outcome'],
      buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
      registers,
    }),
    influxErrors: new Counter({
      name: 'em_write_influx_errors_total',
      help: 'InfluxDB write answers other than 204, by kind (rejected, databaseMissing, tooLarge, retryable)',
      labelNames: ['kind'],
      registers,
    }),
    retries: new Counter({ name: 'em_write_retries_total', help: 'Writes retried after a backoff', registers }),
    deadLetters: new Counter({
      name: 'em_write_dead_letters_total',
      help: 'Lines or containers moved to the dead-letter store, by reason',
      labelNames: ['reason'],
      registers,
    }),
    requestsInFlight: new Gauge({ name: 'em_write_batches_in_flight', help: 'Batches being written', registers }),
    lagSeconds: new Histogram({
      name: 'em_write_lag_seconds',
      help: "From the container's createdAtMs (agent clock) to its batch being stored",
      buckets: [0.005, 0.01, 0.02, 0.035, 0.05, 0.075, 0.1, 0.15, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 300, 3600],
      registers,
    }),
  };
  // Every known label value from 0, so that a series exists (and rate() works) before the first
  // increment; a counter without labels starts at 0 by itself.
  for (const kind of WRITE_ERROR_KINDS) metrics.influxErrors.inc({ kind }, 0);
  for (const reason of WRITE_DEAD_LETTER_REASONS) metrics.deadLetters.inc({ reason }, 0);
  return metrics;
}

/** The backlog as the write service sees it; read at scrape time (LMDB stats are cheap). */
function registerJournalDepth(registry: Registry, journal: () => ContainerJournal | undefined): void {
  new Gauge({
    name: 'em_write_journal_depth_entries',
    help: 'Containers in the journal, not yet stored in InfluxDB',
    registers: [registry],
    collect() {
      const depth = journal()?.depth();
      if (depth !== undefined) this.set(depth.entries);
    },
  });
  new Gauge({
    name: 'em_write_journal_depth_bytes',
    help: 'Bytes of journal pages in use',
    registers: [registry],
    collect() {
      const depth = journal()?.depth();
      if (depth !== undefined) this.set(depth.bytes);
    },
  });
}
