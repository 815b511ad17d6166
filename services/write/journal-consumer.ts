// The write loop: journal → line protocol → InfluxDB → remove from the journal.
// An entry leaves the journal only after InfluxDB answered 204 for all of its lines (or they were
// dead-lettered), so a crash anywhere replays at most the batches in flight, and replays are
// idempotent. Memory holds only the batches in flight plus one batch being assembled; a backlog
// (InfluxDB down) stays on disk.
import type { DeadLetterStore } from '../../lib/dead-letter/dead-letter-store.js';
import type { ContainerJournal, JournalKey } from '../../lib/journal/container-journal.js';
import type { Logger } from '../../lib/log.js';
import { createBatchAssembler, type Batch, type BatchEntry } from './batch-assembler.js';
import { deliverBody, type DeliveryDeps } from './batch-delivery.js';
import { batchId, correlationIdOf, correlationIds } from './batch-log-fields.js';
import { backoffDelayMs, DEFAULT_BACKOFF, type BackoffOptions } from './backoff.js';
import type { Clock } from './clock.js';
import { isCursorFlushTimeout, type CursorFlushWatch } from './cursor-flush-watch.js';
import { deadLetterEntry } from './dead-letter-entry.js';
import type { InfluxWriter } from './influx-writer.js';
import { toBatchEntry } from './journal-entry-lines.js';
import { linesBody } from './line-slabs.js';
import type { WriteMetrics } from './metrics.js';
import { createPeekSizer } from './peek-sizer.js';

export interface JournalConsumerOptions {
  readonly maxBatchLines: number;
  readonly lingerMs: number;
  readonly maxRequestsInFlight: number;
  /** How often an idle consumer looks again: the broker appends from another process. */
  readonly pollIntervalMs: number;
  readonly backoff?: BackoffOptions;
}

export interface JournalConsumerDeps {
  readonly journal: ContainerJournal;
  readonly writer: InfluxWriter;
  readonly deadLetters: Pick<DeadLetterStore, 'record'>;
  readonly clock: Clock;
  readonly random?: () => number;
  readonly metrics: WriteMetrics;
  readonly log: Logger;
  /** Told how each removal's cursor flush went (the readiness check reads it). */
  readonly cursorFlush: Pick<CursorFlushWatch, 'overdue' | 'confirmed'>;
}

export interface JournalConsumer {
  start(): void;
  /** Stops peeking; requests under way finish, batches waiting for a retry are abandoned. */
  stop(): Promise<void>;
}

export function createJournalConsumer(options: JournalConsumerOptions, deps: JournalConsumerDeps): JournalConsumer {
  const { journal, clock, log, metrics, cursorFlush } = deps;
  const assembler = createBatchAssembler(options);
  const peekSizer = createPeekSizer();
  const inFlight = new Map<Promise<void>, Batch>();
  const stopController = new AbortController();
  const delivery: DeliveryDeps = {
    ...deps,
    random: deps.random ?? Math.random,
    backoff: options.backoff ?? DEFAULT_BACKOFF,
    stopSignal: stopController.signal,
  };
  const stopped = new Promise<void>((resolve) => stopController.signal.addEventListener('abort', () => resolve()));
  let loop: Promise<void> | undefined;

  /** Removes stored entries; tells the watch whether the disk confirmed the cursor's flush in time. */
  async function removeStored(keys: readonly JournalKey[]): Promise<void> {
    try {
      await journal.removeContainers(keys);
    } catch (err) {
      if (isCursorFlushTimeout(err)) cursorFlush.overdue(err);
      throw err;
    }
    cursorFlush.confirmed();
  }

  /** Entries above this key are not claimed yet; undefined (nothing claimed) peeks from the start. */
  function claimedHighKey(): JournalKey | undefined {
    let high = assembler.pendingHighKey();
    for (const batch of inFlight.values()) if (high === undefined || batch.highKey > high) high = batch.highKey;
    return high;
  }

  /** Moves journal entries into the assembler; true if the journal may hold more that fit now. */
  async function fill(): Promise<boolean> {
    const freeLines = assembler.freeLines();
    if (freeLines === 0) return false;
    const maxEntries = peekSizer.size(freeLines);
    const entries = journal.peekContainers({ afterKey: claimedHighKey(), maxEntries });
    const nowMs = clock.nowMs();
    for (const entry of entries) {
      const batchEntry = toBatchEntry(entry);
      if ('refused' in batchEntry) {
        await deadLetterEntry(entry, batchEntry.refused, deps, removeStored);
        continue;
      }
      peekSizer.observe(batchEntry.lineCount);
      if (!assembler.offer(batchEntry, nowMs)) return false;
    }
    return entries.length === maxEntries && assembler.freeLines() > 0;
  }

  function launch(batch: Batch): void {
    if (log.isLevelEnabled('debug')) log.debug({ batch: batchId(batch), cids: correlationIds(batch), lines: batch.lineCount }, 'batch assembled');
    metrics.batchLines.observe(batch.lineCount);
    metrics.requestsInFlight.inc();
    const done = storeBatch(batch).finally(() => {
      inFlight.delete(done);
      metrics.requestsInFlight.dec();
    });
    inFlight.set(done, batch);
  }

  async function storeBatch(batch: Batch): Promise<void> {
    const body = joinLines(batch.entries);
    const lines = (): string[] => body.toString('utf8').split('\n');
    // Only the log line of a batch with dead-lettered lines asks which container a line came from.
    let entryOfLine: Map<string, BatchEntry> | undefined;
    const correlationIdOfLine = (line: string): string | undefined => {
      entryOfLine ??= new Map(batch.entries.flatMap((entry) => entry.lineBytes.toString('utf8').split('\n').map((text) => [text, entry] as const)));
      const entry = entryOfLine.get(line);
      return entry === undefined ? undefined : correlationIdOf(entry);
    };
    for (let attempt = 0; !stopController.signal.aborted; attempt++) {
      try {
        if (batch.lineCount > 0 && !(await deliverBody(body, batch.lineCount, lines, { ...delivery, correlationIdOf: correlationIdOfLine }))) return;
        await removeStored(batch.entries.map((entry) => entry.key));
        if (log.isLevelEnabled('debug')) log.debug({ batch: batchId(batch), cids: correlationIds(batch) }, 'batch stored (InfluxDB 204) and removed from the journal');
        metrics.batches.inc();
        observeLag(batch, clock.nowMs(), metrics);
        return;
      } catch (err) {
        // The dead-letter store or the journal failed: keep the batch claimed and try again later
        // rather than hammering InfluxDB with replays of it.
        log[isCursorFlushTimeout(err) ? 'warn' : 'error']({ err, keys: batch.entries.length }, 'storing a batch failed, retrying');
        metrics.retries.inc();
        await clock.sleep(backoffDelayMs(attempt, delivery.backoff, delivery.random), stopController.signal);
      }
    }
  }

  async function waitForWork(): Promise<void> {
    if (inFlight.size >= options.maxRequestsInFlight) {
      await Promise.race([...inFlight.keys(), stopped]);
      return;
    }
    const untilDueMs = assembler.msUntilDue(clock.nowMs()) ?? options.pollIntervalMs;
    await clock.sleep(Math.min(untilDueMs, options.pollIntervalMs), stopController.signal);
  }

  async function run(): Promise<void> {
    let failures = 0;
    while (!stopController.signal.aborted) {
      let more = false;
      try {
        more = await fill();
        failures = 0;
      } catch (err) {
        log[isCursorFlushTimeout(err) ? 'warn' : 'error']({ err }, 'reading the journal failed');
        await clock.sleep(backoffDelayMs(failures++, delivery.backoff, delivery.random), stopController.signal);
      }
      const batch = inFlight.size < options.maxRequestsInFlight ? assembler.takeDue(clock.nowMs()) : undefined;
      if (batch !== undefined) launch(batch);
      else if (!more) await waitForWork();
    }
  }

  return {
    start() {
      loop ??= run();
    },
    async stop() {
      stopController.abort();
      await loop;
      await Promise.allSettled([...inFlight.keys()]);
      // Assembled but not sent: still in the journal, read again at the next start.
      assembler.clear();
    },
  };
}

/** A batch's request body: its containers' lines, newline-separated, in one buffer. */
function joinLines(entries: readonly BatchEntry[]): Buffer {
  return linesBody(entries.map((entry) => entry.lineBytes));
}

function observeLag(batch: Batch, nowMs: number, metrics: WriteMetrics): void {
  for (const entry of batch.entries) metrics.lagSeconds.observe(Math.max(0, nowMs - entry.createdAtMs) / 1000);
}
