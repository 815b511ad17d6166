// The on-disk outbox: every sealed container waits here until the broker has acknowledged it
// (PUBACK), across network loss, broker outages and agent restarts. Oldest first. It also keeps
// the next seq per agent, so seq only grows even after the outbox has emptied, and the newest
// reading stamp sealed, so stamps only grow across a reboot with a clock behind (reading-stamps.ts).
// One LMDB environment serves any number of agents (fleet mode); keys are [agentId, seq].
// Bounded: when an agent's outbox is full the OLDEST entries go, counted and logged, because a
// Pi whose SD card is filling up must keep recording the newest data (docs/decisions/004).
// Every wait for the disk has a time limit; after an append flush the card did not confirm, the
// outbox seals nothing more and the agent restarts (lib/journal/flush-guard.ts, decision 012).
import { open, type Database, type RootDatabase } from 'lmdb';
import { decodeContainer, encodeContainer, type ReadingContainer } from '../proto/container.js';
import { DEFAULT_FLUSH_TIMEOUT_MS, type FlushTimeoutError } from '../lib/journal/flush-time-limit.js';
import { guardLmdbCommitFailures } from '../lib/journal/lmdb-commit-failures.js';
import { silentLogger, type Logger } from '../lib/log.js';
import { createFlushGuard, type FlushGuard } from '../lib/journal/flush-guard.js';
import { stampSpan } from './stamp-span.js';

export type ContainerDraft = Omit<ReadingContainer, 'seq'>;

export interface OutboxEntry {
  readonly seq: number;
  /** The encoded container, exactly the bytes to publish. */
  readonly payload: Uint8Array;
}

export interface AgentOutbox {
  readonly agentId: string;
  /**
   * Assigns the next seq and resolves once the container is on disk (fsync'd); fails with
   * FlushTimeoutError when the disk does not confirm that within the flush time limit.
   */
  append(draft: ContainerDraft): Promise<ReadingContainer>;
  /** Oldest first: up to `limit` entries with a seq greater than `afterSeq`, each confirmed on disk. */
  peek(options: { readonly afterSeq: number; readonly limit: number }): OutboxEntry[];
  /** Resolves true when the entry was there; removing an absent entry is not an error. */
  remove(seq: number): Promise<boolean>;
  depth(): number;
  nextSeq(): number;
  /**
   * The newest reading stamp ever sealed for this agent, kept across restarts (undefined in a fresh
   * folder): a Pi may boot with a clock behind it, and no reading may be stamped at or before it.
   */
  newestStampMs(): number | undefined;
  /** Entries dropped because the outbox was full, since this process opened it. */
  dropped(): number;
}

export interface OutboxStore {
  forAgent(agentId: string): AgentOutbox;
  /** Entries waiting, summed over the agents this process opened. */
  totalDepth(): number;
  close(): Promise<void>;
}

export interface OutboxOptions {
  /** Per agent. Default 10,080: seven days of one container a minute. */
  readonly maxEntriesPerAgent?: number;
  readonly log?: Logger;
  readonly onDrop?: (agentId: string, entries: number) => void;
  /** How long an append, a removal and close() wait for the disk (ms). Default DEFAULT_FLUSH_TIMEOUT_MS. */
  readonly flushTimeoutMs?: number;
  /** Told once, about the first append whose flush the disk did not confirm in time: the outbox then seals nothing more. */
  readonly onFlushOverdue?: (overdue: OutboxFlushOverdue) => void;
  /** The flush an append waits for: lmdb-js's `root.flushed` (tests: one that never settles). */
  readonly flushed?: (root: RootDatabase) => PromiseLike<unknown>;
}

/** Which seal an append's wait for the disk is. */
interface SealContext {
  readonly agentId: string;
  readonly seq: number;
}

/** The first append whose flush the disk did not confirm within the limit. */
export interface OutboxFlushOverdue {
  readonly agentId: string;
  readonly seq: number;
  readonly timeoutMs: number;
  readonly error: FlushTimeoutError;
}

export const DEFAULT_MAX_OUTBOX_ENTRIES = 10_080;

type EntryKey = [string, number];

interface Dbs {
  readonly root: RootDatabase;
  readonly entries: Database<Buffer, EntryKey>;
  readonly nextSeqs: Database<number, string>;
  readonly newestStamps: Database<number, string>;
  readonly guard: FlushGuard<SealContext>;
  readonly flushed: (root: RootDatabase) => PromiseLike<unknown>;
}

export function openOutboxStore(path: string, options: OutboxOptions = {}): OutboxStore {
  const max = options.maxEntriesPerAgent ?? DEFAULT_MAX_OUTBOX_ENTRIES;
  if (!Number.isInteger(max) || max < 1) throw new Error(`maxEntriesPerAgent must be a positive integer, got ${max}`);
  // A full SD card refuses the seal (its samples wait for the next one), not the end of the agent.
  guardLmdbCommitFailures();
  const root = open({ path, compression: false });
  const timeoutMs = options.flushTimeoutMs ?? DEFAULT_FLUSH_TIMEOUT_MS;
  // One environment serves a fleet's agents: after one seal's time-out, none of them seals again.
  const guard = createFlushGuard<SealContext>({
    timeoutMs,
    store: 'outbox',
    describe: ({ agentId, seq }) => `agent ${agentId}, seq ${seq}`,
    onAppendOverdue: ({ agentId, seq }, error) => options.onFlushOverdue?.({ agentId, seq, timeoutMs, error }),
    closeNote: 'every container sealed had its flush confirmed first',
  });
  const dbs: Dbs = {
    root,
    entries: root.openDB({ name: 'outbox', encoding: 'binary' }),
    nextSeqs: root.openDB({ name: 'next-seq' }),
    newestStamps: root.openDB({ name: 'newest-stamp' }),
    guard,
    flushed: options.flushed ?? ((env) => env.flushed),
  };
  const agents = new Map<string, AgentOutbox>();
  return {
    forAgent(agentId) {
      let outbox = agents.get(agentId);
      if (outbox === undefined) {
        outbox = openAgentOutbox(dbs, agentId, max, options);
        agents.set(agentId, outbox);
      }
      return outbox;
    },
    totalDepth: () => [...agents.values()].reduce((sum, outbox) => sum + outbox.depth(), 0),
    // Timed out: the process is ending (the agent exits 1); lmdb-js may still be writing.
    close: () => guard.closed(root.close(), 'the last commit'),
  };
}

function agentRange(agentId: string, afterSeq = 0): { start: EntryKey; end: EntryKey } {
  return { start: [agentId, afterSeq + 1], end: [agentId, Number.MAX_SAFE_INTEGER] };
}

/** The agent's entries newest first: lmdb-js walks a reverse range from `start` down to `end`. */
function newestFirst(agentId: string): { start: EntryKey; end: EntryKey; reverse: true; limit: 1 } {
  return { start: [agentId, Number.MAX_SAFE_INTEGER], end: [agentId, 0], reverse: true, limit: 1 };
}

/**
 * An outbox written before the newest stamp was kept (an agent upgraded with containers waiting)
 * has none: the newest container's newest stamp stands in for it, as stamps only grow from seal to
 * seal. Undefined when the outbox is empty: then nothing is known, as in a fresh folder.
 */
function newestStampOfNewestEntry(entries: Database<Buffer, EntryKey>, agentId: string): number | undefined {
  for (const { value } of entries.getRange(newestFirst(agentId))) {
    const { lastMs } = stampSpan(decodeContainer(value).measurements);
    return Number.isFinite(lastMs) ? lastMs : undefined;
  }
  return undefined;
}

function openAgentOutbox(dbs: Dbs, agentId: string, max: number, options: OutboxOptions): AgentOutbox {
  const { root, entries, nextSeqs, newestStamps, guard, flushed } = dbs;
  const log = options.log ?? silentLogger();
  let depth = entries.getKeysCount(agentRange(agentId));
  let lastStored = 0;
  for (const [, seq] of entries.getKeys(newestFirst(agentId))) lastStored = seq;
  // seq starts at 1 (proto/readings.proto) and never repeats, even after the outbox emptied.
  let next = Math.max(nextSeqs.get(agentId) ?? 1, lastStored + 1);
  let newestStampMs = newestStamps.get(agentId) ?? newestStampOfNewestEntry(entries, agentId);
  let droppedTotal = 0;
  // Appended but not confirmed on disk. lmdb-js shows a commit to readers before its flush
  // (overlapping sync), so without this the pump, woken by a PUBACK, could publish a container
  // whose flush is then not confirmed: if its commit never reaches the disk, the restarted agent
  // seals other readings under the same seq. Kept after a time-out: this process never learns.
  const unconfirmed = new Set<number>();

  // Runs inside the write transaction, so depth and the stored entries cannot disagree.
  const dropOldest = (): number => {
    const excess = depth - max;
    if (excess <= 0) return 0;
    for (const key of entries.getKeys({ ...agentRange(agentId), limit: excess })) entries.removeSync(key);
    depth -= excess;
    return excess;
  };

  return {
    agentId,
    async append(draft) {
      if (draft.agentId !== agentId) throw new Error(`outbox of ${agentId} got a container of ${draft.agentId}`);
      guard.assertConfirming(); // after an unconfirmed flush: no write, no seq
      const seq = next++;
      const container: ReadingContainer = { ...draft, seq };
      const payload = Buffer.from(encodeContainer(container));
      const { lastMs } = stampSpan(draft.measurements);
      // depth changes inside the transaction (dropOldest needs it there) and is put back if the
      // commit fails (a full SD card): LMDB rolled the entries back, and a count left too high
      // would misreport the depth and drop the oldest entries before the outbox is full. The seq
      // goes back too, unless a later append took the next one meanwhile.
      let depthChange = 0;
      unconfirmed.add(seq);
      const committed = root
        .transaction(() => {
          entries.putSync([agentId, seq], payload);
          nextSeqs.putSync(agentId, seq + 1);
          if (lastMs > (newestStamps.get(agentId) ?? Number.NEGATIVE_INFINITY)) newestStamps.putSync(agentId, lastMs);
          depth++;
          const droppedNow = dropOldest();
          depthChange = 1 - droppedNow;
          return droppedNow;
        })
        .catch((err: unknown) => {
          depth -= depthChange;
          // Nothing was sealed, so no seq was used: downstream a gap in seq means a lost container.
          if (next === seq + 1) next = seq;
          unconfirmed.delete(seq);
          throw err;
        });
      // Durable, not merely committed: with overlapping sync a commit is flushed a moment later.
      // One limit for both: a hung sync holds the commit's promise too.
      const dropped = await guard.appendDurable(
        committed.then(async (droppedNow) => {
          await flushed(root);
          return droppedNow;
        }),
        { agentId, seq },
      );
      unconfirmed.delete(seq);
      if (lastMs > (newestStampMs ?? Number.NEGATIVE_INFINITY)) newestStampMs = lastMs;
      if (dropped > 0) {
        droppedTotal += dropped;
        log.warn({ agentId, dropped, max }, 'outbox full: dropped the oldest containers');
        options.onDrop?.(agentId, dropped);
      }
      return container;
    },
    peek({ afterSeq, limit }) {
      const end: EntryKey = [agentId, Math.min(Number.MAX_SAFE_INTEGER, ...unconfirmed)]; // exclusive
      return [...entries.getRange({ start: agentRange(agentId, afterSeq).start, end, limit })].map(({ key, value }) => ({
        seq: key[1],
        payload: value,
      }));
    },
    async remove(seq) {
      let removed = false;
      const committed = root
        .transaction(() => {
          if (!entries.doesExist([agentId, seq])) return false;
          entries.removeSync([agentId, seq]);
          depth--;
          removed = true;
          return true;
        })
        .catch((err: unknown) => {
          if (removed) depth++; // the commit failed: the entry is still there
          throw err;
        });
      // Timed out: the pump logs and counts it; until this commit lands late or a later removal
      // commits, the entry may be sent again (harmless: same seq).
      return guard.durable(committed, 'outbox removal');
    },
    depth: () => depth,
    nextSeq: () => next,
    newestStampMs: () => newestStampMs,
    dropped: () => droppedTotal,
  };
}
