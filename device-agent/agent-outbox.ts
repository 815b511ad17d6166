// One agent's outbox in the shared LMDB environment that outbox.ts opens (what the outbox keeps and
// promises is described there): its entries under keys [agentId, seq], its next seq, its newest
// reading stamp, and the bound that drops its oldest entries.
import type { Database, RootDatabase } from 'lmdb';
import { decodeContainer, encodeContainer, type ReadingContainer } from '../proto/container.js';
import type { FlushGuard } from '../lib/journal/flush-guard.js';
import { silentLogger } from '../lib/log.js';
import { stampSpan } from './stamp-span.js';
import type { AgentOutbox, OutboxOptions } from './outbox.js';

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

export function openAgentOutbox(dbs: Dbs, agentId: string, max: number, options: OutboxOptions): AgentOutbox {
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
