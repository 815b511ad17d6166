// Where input we refuse goes, with its reason, so that nothing is silently dropped and an operator
// can inspect (and, once fixed, replay) it. One LMDB environment per process that refuses input.
// It is bounded (docs/dead-letters.md): a prefix of each payload, and a byte budget past which the
// oldest letters go — refusals are what a hostile or broken sender produces fastest.
import { open, type Database, type RootDatabase } from 'lmdb';
import type { Registry } from 'prom-client';
import { DEFAULT_FLUSH_TIMEOUT_MS, withinFlushTime } from '../journal/flush-time-limit.js';
import { guardLmdbCommitFailures } from '../journal/lmdb-commit-failures.js';
import { readLmdbStats } from '../lmdb-stats.js';
import { registerDeadLetterStoreMetrics } from './dead-letter-metrics.js';
import { createStoreBudget } from './store-budget.js';
import { estimateStoredBytes, fromStoredLetter, toStoredLetter, type StoredLetter } from './stored-letter.js';

export type DeadLetterSource = 'broker' | 'write';

export const DEFAULT_DEAD_LETTER_MAX_BYTES = 256 * 1024 * 1024;
export const DEFAULT_DEAD_LETTER_MAX_PAYLOAD_BYTES = 64 * 1024;

export interface DeadLetterInput {
  readonly source: DeadLetterSource;
  /** Short machine-readable reason, e.g. `decode`, `topic-mismatch`, `influx-400`. */
  readonly reason: string;
  /** Human-readable detail: what exactly was wrong. */
  readonly detail: string;
  readonly topic?: string;
  readonly clientId?: string;
  /** `<householdId>/<agentId>/<seq>` of the container the input came from, when known (lib/log.ts). */
  readonly correlationId?: string;
  /** The refused bytes: a container payload, or a line-protocol line. */
  readonly payload: Uint8Array;
}

export interface DeadLetter extends DeadLetterInput {
  readonly id: number;
  readonly atMs: number;
  /** The refused input's size; `payload` holds at most the store's `maxPayloadBytes` of it. */
  readonly payloadBytes: number;
  readonly payloadTruncated: boolean;
}

export interface DeadLetterStoreStats {
  /** Pages in use by the letters, in bytes. */
  readonly bytesInUse: number;
  /** Letters removed to stay within the budget, since open. */
  readonly evictedTotal: number;
  /** Letters whose payload was cut to `maxPayloadBytes`, since open. */
  readonly truncatedTotal: number;
}

export interface DeadLetterStore {
  /** Resolves once the letter is durable; a full budget evicts older letters, it never refuses this one. */
  record(letter: DeadLetterInput): Promise<DeadLetter>;
  /** Newest last; `afterId` pages forward. */
  list(options?: { readonly limit?: number; readonly afterId?: number }): DeadLetter[];
  count(): number;
  stats(): DeadLetterStoreStats;
  close(): Promise<void>;
}

export interface DeadLetterStoreOptions {
  /** The letters' budget on disk; the oldest are evicted past it (it may be exceeded by one commit's letters). */
  readonly maxBytes?: number;
  /** How much of each refused payload is kept. */
  readonly maxPayloadBytes?: number;
  readonly clock?: () => number;
  /** Exports em_<service>_dead_letters_evicted_total and friends (dead-letter-metrics.ts). */
  readonly metrics?: { readonly registry: Registry; readonly service: DeadLetterSource };
  /** How long a letter, and close(), may wait for the disk to confirm a flush (lib/journal/flush-time-limit.ts). */
  readonly flushTimeoutMs?: number;
  /** The flush a letter waits for: lmdb-js's `root.flushed` (tests: one that never settles). */
  readonly flushed?: (root: RootDatabase) => PromiseLike<unknown>;
}

export function openDeadLetterStore(path: string, options: DeadLetterStoreOptions = {}): DeadLetterStore {
  const { maxBytes = DEFAULT_DEAD_LETTER_MAX_BYTES, maxPayloadBytes = DEFAULT_DEAD_LETTER_MAX_PAYLOAD_BYTES, clock = Date.now } = options;
  const { flushTimeoutMs = DEFAULT_FLUSH_TIMEOUT_MS, flushed = (env: RootDatabase) => env.flushed } = options;
  if (!(maxPayloadBytes > 0 && maxBytes >= maxPayloadBytes)) {
    throw new RangeError(`dead-letter store: maxPayloadBytes (${maxPayloadBytes}) must be positive and within maxBytes (${maxBytes})`);
  }
  // A letter that does not fit on the disk is refused to its recorder, not the end of the process.
  guardLmdbCommitFailures();
  const root: RootDatabase = open({ path, compression: false });
  const db: Database<StoredLetter, number> = root.openDB({ name: 'dead-letters' });
  const budget = createStoreBudget(db, maxBytes);
  // Ids are time-seeded so that they keep growing across restarts even after a purge.
  let nextId = Math.max(clock() * 1000, lastKey(db) + 1);
  let truncated = 0;

  const store: DeadLetterStore = {
    async record(letter) {
      const id = nextId++;
      const stored = toStoredLetter(letter, clock(), maxPayloadBytes);
      if (stored.payload.byteLength < letter.payload.byteLength) truncated++;
      const write = db.put(id, stored);
      budget.track(write, estimateStoredBytes(stored));
      // Durable, not merely committed (as the journal's appends and the agent's outbox): lmdb-js
      // syncs a commit a moment later (overlapping sync), and the broker acknowledges a refused
      // container, the write service removes a dead-lettered line's entry, once this resolves.
      // Within the flush time limit: a disk that does not answer refuses the letter, and its sender
      // (not acknowledged) sends it again, instead of holding the sender's connection forever.
      // Unlike the journal (lib/journal/flush-guard.ts) the store takes letters again once
      // the disk answers: letters hold input already refused, and the broker, whose journal usually
      // shares the disk, stops by itself once a journal flush goes unconfirmed.
      await withinFlushTime(write.then(() => flushed(root)), flushTimeoutMs, 'dead-letter record');
      return fromStoredLetter(id, stored);
    },
    list(listOptions = {}) {
      const limit = listOptions.limit ?? 100;
      const range = db.getRange({ start: listOptions.afterId === undefined ? undefined : listOptions.afterId + 1, limit });
      return [...range].map(({ key, value }) => fromStoredLetter(key, value));
    },
    count() {
      return readLmdbStats(db).entryCount;
    },
    stats() {
      return { bytesInUse: budget.bytesInUse(), evictedTotal: budget.evictedTotal(), truncatedTotal: truncated };
    },
    async close() {
      budget.stop();
      // lmdb-js waits for the last commit's flush, never settled when that commit failed (a full disk).
      await withinFlushTime(root.close(), flushTimeoutMs, 'dead-letter store close');
    },
  };
  if (options.metrics !== undefined) registerDeadLetterStoreMetrics(options.metrics.registry, options.metrics.service, () => store.stats());
  return store;
}

function lastKey(db: Database<StoredLetter, number>): number {
  for (const key of db.getKeys({ reverse: true, limit: 1 })) return key;
  return 0;
}
