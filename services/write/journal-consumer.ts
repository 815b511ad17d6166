// The write loop: journal → line protocol → InfluxDB → remove from the journal.
// An entry leaves the journal only after InfluxDB answered 204 for all of its lines (or they were
// dead-lettered), so a crash anywhere replays at most the batches in flight, and replays are
// idempotent. Memory holds only the batches in flight plus one batch being assembled; a backlog
// (InfluxDB down) stays on disk.
import type { DeadLetterStore } from '../../lib/dead-letter/dead-letter-store.js';
import type { ContainerJournal, JournalKey } from '../../lib/journal/container-journal.js';
import type { Logger } from '../../lib/log.js';
import { createBatchAssembler, type Batch, type BatchAssembler } from './batch-assembler.js';
import type { DeliveryDeps } from './batch-delivery.js';
import { batchId, correlationIds } from './batch-log-fields.js';
import { backoffDelayMs, DEFAULT_BACKOFF, type BackoffOptions } from './backoff.js';
import type { Clock } from './clock.js';
import { isCursorFlushTimeout, type CursorFlushWatch } from './cursor-flush-watch.js';
import { deadLetterEntry } from './dead-letter-entry.js';
import type { InfluxWriter } from './influx-writer.js';
import { toBatchEntry } from './journal-entry-lines.js';
import type { WriteMetrics } from './metrics.js';
import { createPeekSizer, type PeekSizer } from './peek-sizer.js';
import { createRemoveStored, storeBatch, type RemoveStored } from './store-batch.js';

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

/** What the loop's steps share, built once per consumer. */
interface LoopState {
  readonly options: JournalConsumerOptions;
  readonly deps: JournalConsumerDeps;
  readonly assembler: BatchAssembler;
  readonly peekSizer: PeekSizer;
  readonly inFlight: Map<Promise<void>, Batch>;
  readonly stopController: AbortController;
  readonly delivery: DeliveryDeps;
  /** Resolves when stop() aborts, so a wait for a free request slot ends too. */
  readonly stopped: Promise<void>;
  readonly removeStored: RemoveStored;
}

export function createJournalConsumer(options: JournalConsumerOptions, deps: JournalConsumerDeps): JournalConsumer {
  const state = createLoopState(options, deps);
  let loop: Promise<void> | undefined;

  return {
    start() {
      loop ??= run(state);
    },
    async stop() {
      state.stopController.abort();
      await loop;
      await Promise.allSettled([...state.inFlight.keys()]);
      // Assembled but not sent: still in the journal, read again at the next start.
      state.assembler.clear();
    },
  };
}

function createLoopState(options: JournalConsumerOptions, deps: JournalConsumerDeps): LoopState {
  const stopController = new AbortController();
  return {
    options,
    deps,
    assembler: createBatchAssembler(options),
    peekSizer: createPeekSizer(),
    inFlight: new Map<Promise<void>, Batch>(),
    stopController,
    delivery: {
      ...deps,
      random: deps.random ?? Math.random,
      backoff: options.backoff ?? DEFAULT_BACKOFF,
      stopSignal: stopController.signal,
    },
    stopped: new Promise<void>((resolve) => stopController.signal.addEventListener('abort', () => resolve())),
    removeStored: createRemoveStored(deps),
  };
}

/** Entries above this key are not claimed yet; undefined (nothing claimed) peeks from the start. */
function claimedHighKey({ assembler, inFlight }: LoopState): JournalKey | undefined {
  let high = assembler.pendingHighKey();
  for (const batch of inFlight.values()) if (high === undefined || batch.highKey > high) high = batch.highKey;
  return high;
}

/** Moves journal entries into the assembler; true if the journal may hold more that fit now. */
async function fill(state: LoopState): Promise<boolean> {
  const { assembler, peekSizer, deps } = state;
  const freeLines = assembler.freeLines();
  if (freeLines === 0) return false;
  const maxEntries = peekSizer.size(freeLines);
  const entries = deps.journal.peekContainers({ afterKey: claimedHighKey(state), maxEntries });
  const nowMs = deps.clock.nowMs();
  for (const entry of entries) {
    const batchEntry = toBatchEntry(entry);
    if ('refused' in batchEntry) {
      await deadLetterEntry(entry, batchEntry.refused, deps, state.removeStored);
      continue;
    }
    peekSizer.observe(batchEntry.lineCount);
    if (!assembler.offer(batchEntry, nowMs)) return false;
  }
  return entries.length === maxEntries && assembler.freeLines() > 0;
}

function launch(state: LoopState, batch: Batch): void {
  const { deps: { log, metrics }, inFlight, delivery, removeStored } = state;
  if (log.isLevelEnabled('debug')) log.debug({ batch: batchId(batch), cids: correlationIds(batch), lines: batch.lineCount }, 'batch assembled');
  metrics.batchLines.observe(batch.lineCount);
  metrics.requestsInFlight.inc();
  const done = storeBatch(batch, delivery, removeStored).finally(() => {
    inFlight.delete(done);
    metrics.requestsInFlight.dec();
  });
  inFlight.set(done, batch);
}

async function waitForWork(state: LoopState): Promise<void> {
  const { options, deps: { clock }, assembler, inFlight, stopController, stopped } = state;
  if (inFlight.size >= options.maxRequestsInFlight) {
    await Promise.race([...inFlight.keys(), stopped]);
    return;
  }
  const untilDueMs = assembler.msUntilDue(clock.nowMs()) ?? options.pollIntervalMs;
  await clock.sleep(Math.min(untilDueMs, options.pollIntervalMs), stopController.signal);
}

async function run(state: LoopState): Promise<void> {
  const { options, deps: { clock, log }, assembler, inFlight, stopController, delivery } = state;
  let failures = 0;
  while (!stopController.signal.aborted) {
    let more = false;
    try {
      more = await fill(state);
      failures = 0;
    } catch (err) {
      log[isCursorFlushTimeout(err) ? 'warn' : 'error']({ err }, 'reading the journal failed');
      await clock.sleep(backoffDelayMs(failures++, delivery.backoff, delivery.random), stopController.signal);
    }
    const batch = inFlight.size < options.maxRequestsInFlight ? assembler.takeDue(clock.nowMs()) : undefined;
    if (batch !== undefined) launch(state, batch);
    else if (!more) await waitForWork(state);
  }
}
