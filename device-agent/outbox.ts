// The on-disk outbox: every sealed container waits here until the broker has acknowledged it
// (PUBACK), across network loss, broker outages and agent restarts. Oldest first. It also keeps
// the next seq per agent, so seq only grows even after the outbox has emptied, and the newest
// reading stamp sealed, so stamps only grow across a reboot with a clock behind (reading-stamps.ts).
// One LMDB environment serves any number of agents (fleet mode); keys are [agentId, seq].
// Bounded: when an agent's outbox is full the OLDEST entries go, counted and logged, because a
// Pi whose SD card is filling up must keep recording the newest data (docs/decisions/004).
// Every wait for the disk has a time limit; after an append flush the card did not confirm, the
// outbox seals nothing more and the agent restarts (lib/journal/flush-guard.ts, decision 012).
import { open, type RootDatabase } from 'lmdb';
import type { ReadingContainer } from '../proto/container.js';
import { DEFAULT_FLUSH_TIMEOUT_MS, type FlushTimeoutError } from '../lib/journal/flush-time-limit.js';
import { guardLmdbCommitFailures } from '../lib/journal/lmdb-commit-failures.js';
import type { Logger } from '../lib/log.js';
import { createFlushGuard } from '../lib/journal/flush-guard.js';
import { openAgentOutbox, type Dbs, type SealContext } from './agent-outbox.js';

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

/** The first append whose flush the disk did not confirm within the limit. */
export interface OutboxFlushOverdue {
  readonly agentId: string;
  readonly seq: number;
  readonly timeoutMs: number;
  readonly error: FlushTimeoutError;
}

export const DEFAULT_MAX_OUTBOX_ENTRIES = 10_080;

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
