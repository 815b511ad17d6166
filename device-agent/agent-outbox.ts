// One agent's outbox in the shared LMDB environment that outbox.ts opens (what the outbox keeps and
// promises is described there): its entries under keys [agentId, seq], its next seq, its newest
// reading stamp, and the bound that drops its oldest entries.
import type { Database, RootDatabase } from 'lmdb';
import { decodeContainer, encodeContainer, type ReadingContainer } from '../proto/container.js';
import type { FlushGuard } from '../lib/journal/flush-guard.js';
import { silentLogger, type Logger } from '../lib/log.js';
import { stampSpan } from './stamp-span.js';
import type { AgentOutbox, ContainerDraft, OutboxEntry, OutboxOptions } from './outbox.js';

/** Which seal an append's wait for the disk is. */
export interface SealContext {
  readonly agentId: string;
  readonly seq: number;
}

type EntryKey = [string, number];

/** The shared environment's databases and flush guard: openOutboxStore opens them once, for every agent. */
export interface Dbs {
  readonly root: RootDatabase;
  readonly entries: Database<Buffer, EntryKey>;
  readonly nextSeqs: Database<number, string>;
  readonly newestStamps: Database<number, string>;
  readonly guard: FlushGuard<SealContext>;
  readonly flushed: (root: RootDatabase) => PromiseLike<unknown>;
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

/** One agent's outbox as openAgentOutbox found it on disk, kept up to date by append and remove. */
interface OutboxState {
  readonly dbs: Dbs;
  readonly agentId: string;
  readonly max: number;
  readonly options: OutboxOptions;
  readonly log: Logger;
  depth: number;
  next: number;
  newestStampMs: number | undefined;
  droppedTotal: number;
  // Appended but not confirmed on disk. lmdb-js shows a commit to readers before its flush
  // (overlapping sync), so without this the pump, woken by a PUBACK, could publish a container
  // whose flush is then not confirmed: if its commit never reaches the disk, the restarted agent
  // seals other readings under the same seq. Kept after a time-out: this process never learns.
  readonly unconfirmed: Set<number>;
}

// Runs inside the write transaction, so depth and the stored entries cannot disagree.
function dropOldest(state: OutboxState): number {
  const { entries } = state.dbs;
  const excess = state.depth - state.max;
  if (excess <= 0) return 0;
  for (const key of entries.getKeys({ ...agentRange(state.agentId), limit: excess })) entries.removeSync(key);
  state.depth -= excess;
  return excess;
}

/** Resolves with the number of oldest entries dropped to make room. */
function commitAppend(state: OutboxState, seq: number, payload: Buffer, lastMs: number): Promise<number> {
  const { root, entries, nextSeqs, newestStamps } = state.dbs;
  const { agentId } = state;
  // depth changes inside the transaction (dropOldest needs it there) and is put back if the
  // commit fails (a full SD card): LMDB rolled the entries back, and a count left too high
  // would misreport the depth and drop the oldest entries before the outbox is full. The seq
  // goes back too, unless a later append took the next one meanwhile.
  let depthChange = 0;
  return root
    .transaction(() => {
      entries.putSync([agentId, seq], payload);
      nextSeqs.putSync(agentId, seq + 1);
      if (lastMs > (newestStamps.get(agentId) ?? Number.NEGATIVE_INFINITY)) newestStamps.putSync(agentId, lastMs);
      state.depth++;
      const droppedNow = dropOldest(state);
      depthChange = 1 - droppedNow;
      return droppedNow;
    })
    .catch((err: unknown) => {
      state.depth -= depthChange;
      // Nothing was sealed, so no seq was used: downstream a gap in seq means a lost container.
      if (state.next === seq + 1) state.next = seq;
      state.unconfirmed.delete(seq);
      throw err;
    });
}

async function append(state: OutboxState, draft: ContainerDraft): Promise<ReadingContainer> {
  const { agentId, max, log, options } = state;
  const { root, guard, flushed } = state.dbs;
  if (draft.agentId !== agentId) throw new Error(`outbox of ${agentId} got a container of ${draft.agentId}`);
  guard.assertConfirming(); // after an unconfirmed flush: no write, no seq
  const seq = state.next++;
  const container: ReadingContainer = { ...draft, seq };
  const payload = Buffer.from(encodeContainer(container));
  const { lastMs } = stampSpan(draft.measurements);
  state.unconfirmed.add(seq);
  const committed = commitAppend(state, seq, payload, lastMs);
  // Durable, not merely committed: with overlapping sync a commit is flushed a moment later.
  // One limit for both: a hung sync holds the commit's promise too.
  const dropped = await guard.appendDurable(
    committed.then(async (droppedNow) => {
      await flushed(root);
      return droppedNow;
    }),
    { agentId, seq },
  );
  state.unconfirmed.delete(seq);
  if (lastMs > (state.newestStampMs ?? Number.NEGATIVE_INFINITY)) state.newestStampMs = lastMs;
  if (dropped > 0) {
    state.droppedTotal += dropped;
    log.warn({ agentId, dropped, max }, 'outbox full: dropped the oldest containers');
    options.onDrop?.(agentId, dropped);
  }
  return container;
}

function peek(state: OutboxState, { afterSeq, limit }: { readonly afterSeq: number; readonly limit: number }): OutboxEntry[] {
  const { agentId } = state;
  const end: EntryKey = [agentId, Math.min(Number.MAX_SAFE_INTEGER, ...state.unconfirmed)]; // exclusive
  return [...state.dbs.entries.getRange({ start: agentRange(agentId, afterSeq).start, end, limit })].map(({ key, value }) => ({
    seq: key[1],
    payload: value,
  }));
}

async function remove(state: OutboxState, seq: number): Promise<boolean> {
  const { root, entries, guard } = state.dbs;
  const { agentId } = state;
  let removed = false;
  const committed = root
    .transaction(() => {
      if (!entries.doesExist([agentId, seq])) return false;
      entries.removeSync([agentId, seq]);
      state.depth--;
      removed = true;
      return true;
    })
    .catch((err: unknown) => {
      if (removed) state.depth++; // the commit failed: the entry is still there
      throw err;
    });
  // Timed out: the pump logs and counts it; until this commit lands late or a later removal
  // commits, the entry may be sent again (harmless: same seq).
  return guard.durable(committed, 'outbox removal');
}

export function openAgentOutbox(dbs: Dbs, agentId: string, max: number, options: OutboxOptions): AgentOutbox {
  const { entries, nextSeqs, newestStamps } = dbs;
  const log = options.log ?? silentLogger();
  const depth = entries.getKeysCount(agentRange(agentId));
  let lastStored = 0;
  for (const [, seq] of entries.getKeys(newestFirst(agentId))) lastStored = seq;
  // seq starts at 1 (proto/readings.proto) and never repeats, even after the outbox emptied.
  const next = Math.max(nextSeqs.get(agentId) ?? 1, lastStored + 1);
  const newestStampMs = newestStamps.get(agentId) ?? newestStampOfNewestEntry(entries, agentId);
  const state: OutboxState = { dbs, agentId, max, options, log, depth, next, newestStampMs, droppedTotal: 0, unconfirmed: new Set<number>() };

  return {
    agentId,
    append: (draft) => append(state, draft),
    peek: (range) => peek(state, range),
    remove: (seq) => remove(state, seq),
    depth: () => state.depth,
    nextSeq: () => state.next,
    newestStampMs: () => state.newestStampMs,
    dropped: () => state.droppedTotal,
  };
}
