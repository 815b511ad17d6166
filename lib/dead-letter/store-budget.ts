// Keeps a dead-letter store within a byte budget by removing its oldest letters, so that one
// sender refused at high rate cannot fill the disk the journal shares (docs/dead-letters.md).
// LMDB's own statistics (pages in use) are the measure, read after each commit, so page rounding
// and estimates that are off correct themselves; letters still being written are added on top.
// Nothing here waits on the caller's path: evictions are removals queued behind the letter's put,
// and the budget is checked once per batch of commits, not per letter.
import type { Database } from 'lmdb';
import { readLmdbStats } from '../lmdb-stats.js';
import type { StoredLetter } from './stored-letter.js';

/** Evict down to this share of the budget, so that eviction runs once per batch, not per letter. */
const LOW_WATER_SHARE = 0.9;
/** At most this many removals per transaction (a store found far over budget at open is trimmed over several). */
const MAX_EVICTIONS_PER_ROUND = 10_000;

export interface StoreBudget {
  /** A letter of about `bytes` is being written by `write`; its commit triggers a budget check. */
  track(write: Promise<unknown>, bytes: number): void;
  /** Pages in use by the letters, in bytes (LMDB statistics). */
  bytesInUse(): number;
  evictedTotal(): number;
  stop(): void;
}

export function createStoreBudget(db: Database<StoredLetter, number>, maxBytes: number): StoreBudget {
  const lowWaterBytes = Math.floor(maxBytes * LOW_WATER_SHARE);
  let pendingBytes = 0;
  let evicting = false;
  let checkScheduled = false;
  let stopped = false;
  let nextEvictKey: number | undefined;
  let evicted = 0;

  function scheduleCheck(): void {
    if (checkScheduled || stopped) return;
    checkScheduled = true;
    setImmediate(() => {
      checkScheduled = false;
      check();
    });
  }

  function check(): void {
    if (evicting || stopped) return;
    const { bytesInUse, pageSize } = readLmdbStats(db);
    const used = bytesInUse + pendingBytes;
    if (used <= maxBytes) return;
    const removals = evictOldest(used - lowWaterBytes, pageSize);
    if (removals.length === 0) return; // only letters not yet committed: the next commit checks again
    evicting = true;
    void Promise.allSettled(removals).then(() => {
      evicting = false;
      // The estimate of what a removal frees can be short (page rounding): measure again.
      scheduleCheck();
    });
  }

  function evictOldest(bytesToFree: number, pageSize: number): Promise<unknown>[] {
    const removals: Promise<unknown>[] = [];
    let freed = 0;
    for (const key of db.getKeys({ start: nextEvictKey, limit: MAX_EVICTIONS_PER_ROUND })) {
      if (freed >= bytesToFree) break;
      // .length, not .byteLength: lmdb's fast read returns a view whose byteLength is its shared buffer's.
      const valueBytes = db.getBinaryFast(key)?.length ?? 0;
      // Counted once removed: until its commit the letter is still in the store's count, and a
      // reader adding the two would see it twice.
      removals.push(db.remove(key).then((removed) => {
        if (removed) evicted += 1;
      }));
      freed += pagedBytes(valueBytes, pageSize);
      // Removals are not visible to reads until committed: never pick the same letter twice.
      nextEvictKey = key + 1;
    }
    return removals;
  }

  scheduleCheck(); // a store found over budget at open (a lower budget, an older version) is trimmed
  return {
    track(write, bytes) {
      pendingBytes += bytes;
      const settled = (): void => {
        pendingBytes -= bytes;
        scheduleCheck();
      };
      write.then(settled, settled);
    },
    bytesInUse: () => readLmdbStats(db).bytesInUse,
    evictedTotal: () => evicted,
    stop() {
      stopped = true;
    },
  };
}

/** What a value of `valueBytes` occupies in LMDB: beside others in a leaf page, or in its own overflow pages. */
function pagedBytes(valueBytes: number, pageSize: number): number {
  const nodeBytes = 24; // key, node header, pointer
  if (pageSize === 0 || valueBytes + nodeBytes <= pageSize / 2) return valueBytes + nodeBytes;
  return Math.ceil((valueBytes + 16) / pageSize) * pageSize + nodeBytes;
}
