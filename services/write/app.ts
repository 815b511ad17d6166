// Builds the write service (journal consumer + InfluxDB writer + dead letters + metrics) without
// starting it: nothing opens, listens or loops until start().
import type { Registry } from 'prom-client';
import { openDeadLetterStore, type DeadLetterStore } from '../../lib/dead-letter/dead-letter-store.js';
import type { ContainerJournal } from '../../lib/journal/container-journal.js';
import { openLmdbJournal } from '../../lib/journal/lmdb-journal.js';
import { createLogger, type Logger } from '../../lib/log.js';
import { registerFilesystemMetrics } from '../../lib/metrics/filesystem-metrics.js';
import { createProcessRegistry, startMetricsServer, type MetricsServer } from '../../lib/metrics/metrics-server.js';
import { createReadiness, registerReadinessMetrics, type Readiness } from '../../lib/metrics/readiness.js';
import { expectHttpStatus, expectWritablePath } from '../../lib/metrics/readiness-checks.js';
import { systemClock, type Clock } from './clock.js';
import type { WriteConfig } from './config.js';
import { watchCursorFlushes, type CursorFlushWatch } from './cursor-flush-watch.js';
import { createInfluxWriter, type InfluxWriter } from './influx-writer.js';
import { createJournalConsumer, type JournalConsumer } from './journal-consumer.js';
import { createWriteMetrics, type WriteMetrics } from './metrics.js';

/** Replacements for the real edges (tests); what is injected is not closed by stop(). */
export interface WriteServiceDeps {
  readonly log?: Logger;
  readonly registry?: Registry;
  readonly clock?: Clock;
  readonly random?: () => number;
  readonly journal?: ContainerJournal;
  readonly deadLetters?: DeadLetterStore;
  readonly writer?: InfluxWriter;
}

export interface WriteServiceAddresses {
  readonly metricsPort: number;
}

export interface WriteService {
  readonly registry: Registry;
  readonly metrics: WriteMetrics;
  /** Opens the journal and dead-letter store, creates the database, serves metrics, starts draining. */
  start(): Promise<WriteServiceAddresses>;
  /** Stops draining (requests under way finish), closes what start() opened. */
  stop(): Promise<void>;
}

export function createWriteService(config: Readonly<WriteConfig>, deps: WriteServiceDeps = {}): WriteService {
  const log = deps.log ?? createLogger('write');
  const registry = deps.registry ?? createProcessRegistry({ process: 'write' });
  const writer = deps.writer ?? createInfluxWriter(config.influx);
  const clock = deps.clock ?? systemClock;
  let journal = deps.journal;
  let deadLetters = deps.deadLetters;
  const metrics = createWriteMetrics(registry, () => journal);
  const cursorFlush = watchCursorFlushes({ registry, log, clock });
  const readiness = createWriteReadiness(config, () => journal, deps.journal === undefined, cursorFlush);
  registerReadinessMetrics(registry, readiness);
  registerFilesystemMetrics(registry, [config.journalPath, config.deadLetterPath]);
  let consumer: JournalConsumer | undefined;
  let metricsServer: MetricsServer | undefined;

  return {
    registry,
    metrics,
    async start() {
      const flushTimeoutMs = config.journalFlushTimeoutMs;
      journal ??= await openLmdbJournal(config.journalPath, 'consumer', { flushTimeoutMs });
      deadLetters ??= openDeadLetterStore(config.deadLetterPath, { ...config.deadLetterBudget, metrics: { registry, service: 'write' }, flushTimeoutMs });
      await createDatabase(writer, config.influx.database, log);
      metricsServer = await startMetricsServer({ registry, port: config.metricsPort, host: config.host, readiness });
      consumer = createJournalConsumer(config, {
        journal,
        writer,
        deadLetters,
        metrics,
        log,
        clock,
        random: deps.random,
        cursorFlush,
      });
      consumer.start();
      return { metricsPort: metricsServer.port };
    },
    async stop() {
      await consumer?.stop();
      await metricsServer?.close();
      if (deps.journal === undefined) await journal?.close();
      if (deps.deadLetters === undefined) await deadLetters?.close();
    },
  };
}

/**
 * Ready = InfluxDB answers /ping and the journal is open and writable (removals write), with no
 * cursor flush overdue (cursor-flush-watch.ts).
 */
function createWriteReadiness(
  config: Readonly<WriteConfig>,
  journal: () => ContainerJournal | undefined,
  ownJournal: boolean,
  cursorFlush: CursorFlushWatch,
): Readiness {
  const pingUrl = `${config.influx.url.replace(/\/+$/, '')}/ping`;
  return createReadiness([
    { name: 'influxdb', run: () => expectHttpStatus(pingUrl, 204) },
    {
      name: 'journal',
      async run() {
        const opened = journal();
        if (opened === undefined) throw new Error('journal not opened yet');
        opened.depth(); // throws once the environment is closed
        cursorFlush.assertConfirmed(); // the disk has not confirmed a cursor flush: the cursor cannot advance
        if (ownJournal) await expectWritablePath(config.journalPath); // an injected journal has no path
      },
    },
  ]);
}

/** At start, so the first batch does not meet a 404; if InfluxDB is down, the 404 path does it later. */
async function createDatabase(writer: InfluxWriter, database: string, log: Logger): Promise<void> {
  const outcome = await writer.createDatabase();
  if (outcome.kind === 'ok') log.info({ database }, 'database ready');
  else log.warn({ database, error: outcome.message }, 'could not create the database yet; writes will retry');
}
