// A cache of per-device history in fixed time chunks, for the parts of a range that can no longer
// change. A year of hourly energy counters is 26,000 rows from InfluxDB for three devices — about
// half a second on the 2-core reference machine, however often the same year view is opened —
// while all but its last days are final once rollup reconciliation has passed them. Chunks lie on
// a fixed grid (so any range reuses them, its edge chunks included); everything newer than
// `finalBeforeMs` is always read fresh. When rollup reconciliation folds late data into
// an hour, the chunks over it are invalidated; entries also expire after a while, so data that
// arrives later than reconciliation looks back (an agent offline for weeks) shows up eventually.

export interface ChunkCacheOptions {
  readonly chunkMs: number;
  readonly maxChunks: number;
  readonly ttlMs: number;
  readonly now: () => number;
}

export interface ChunkCacheStats {
  hits: number;
  misses: number;
}

type PerDevice<T> = Map<string, T[]>;

interface Entry<T> {
  readonly data: PerDevice<T>;
  readonly storedAtMs: number;
}

export interface ChunkCache<T> {
  /**
   * Per-device rows of [fromMs, toMs): full final chunks from the cache (fetching the missing ones
   * in as few requests as possible), the rest from `fetch`. Rows must be in time order.
   */
  read(key: string, range: { fromMs: number; toMs: number; finalBeforeMs: number }, fetch: (fromMs: number, toMs: number) => Promise<PerDevice<T>>, timeOf: (row: T) => number): Promise<PerDevice<T>>;
  /** Forgets every chunk that overlaps [fromMs, toMs), for every key (late data was folded in). */
  invalidate(fromMs: number, toMs: number): void;
  readonly stats: ChunkCacheStats;
}

export function createChunkCache<T>(options: ChunkCacheOptions): ChunkCache<T> {
  const entries = new Map<string, Entry<T>>();
  const stats: ChunkCacheStats = { hits: 0, misses: 0 };

  const lookup = (key: string): PerDevice<T> | undefined => {
    const entry = entries.get(key);
    if (entry === undefined) return undefined;
    entries.delete(key);
    if (options.now() - entry.storedAtMs > options.ttlMs) return undefined;
    entries.set(key, entry); // most recently used last
    return entry.data;
  };
  const store = (key: string, data: PerDevice<T>): void => {
    entries.set(key, { data, storedAtMs: options.now() });
    while (entries.size > options.maxChunks) {
      const oldest = entries.keys().next();
      if (oldest.done === true) break;
      entries.delete(oldest.value);
    }
  };

  return {
    stats,
    invalidate(fromMs, toMs) {
      for (const key of [...entries.keys()]) {
        const start = Number(key.slice(key.lastIndexOf('\u0000') + 1));
        if (start < toMs && start + options.chunkMs > fromMs) entries.delete(key);
      }
    },
    async read(key, range, fetch, timeOf) {
      const { chunkMs } = options;
      // Whole chunks, also where the range starts or ends inside one (rows outside the range are
      // cut off below): a range's edges are then cached too, and only the newest part is read fresh.
      const firstChunk = Math.floor(range.fromMs / chunkMs) * chunkMs;
      const lastChunkEnd = Math.min(Math.ceil(range.toMs / chunkMs) * chunkMs, Math.floor(range.finalBeforeMs / chunkMs) * chunkMs);
      if (options.maxChunks <= 0 || lastChunkEnd <= firstChunk) return fetch(range.fromMs, range.toMs);

      // Pieces in time order: cached or missing chunks, then the fresh tail.
      type Piece = { fromMs: number; toMs: number; cached?: PerDevice<T> };
      const pieces: Piece[] = [];
      for (let start = firstChunk; start < lastChunkEnd; start += chunkMs) {
        const cached = lookup(`${key}\u0000${start}`);
        if (cached !== undefined) stats.hits += 1;
        else stats.misses += 1;
        const previous = pieces[pieces.length - 1];
        // Adjacent missing chunks are fetched together, then split.
        if (cached === undefined && previous !== undefined && previous.cached === undefined && previous.toMs === start) previous.toMs = start + chunkMs;
        else pieces.push({ fromMs: start, toMs: start + chunkMs, cached });
      }
      if (lastChunkEnd < range.toMs) pieces.push({ fromMs: lastChunkEnd, toMs: range.toMs });

      const results = await Promise.all(pieces.map(async (piece) => piece.cached ?? (await fetch(piece.fromMs, piece.toMs))));
      for (const [i, piece] of pieces.entries()) {
        if (piece.cached !== undefined || piece.toMs > lastChunkEnd) continue;
        for (let start = piece.fromMs; start < piece.toMs; start += chunkMs) {
          const chunk: PerDevice<T> = new Map();
          for (const [device, rows] of results[i] ?? new Map<string, T[]>()) {
            const inChunk = rows.filter((row) => timeOf(row) >= start && timeOf(row) < start + chunkMs);
            if (inChunk.length > 0) chunk.set(device, inChunk);
          }
          store(`${key}\u0000${start}`, chunk);
        }
      }
      const merged: PerDevice<T> = new Map();
      const inRange = (row: T): boolean => timeOf(row) >= range.fromMs && timeOf(row) < range.toMs;
      for (const result of results) {
        for (const [device, rows] of result) {
          let list = merged.get(device);
          if (list === undefined) merged.set(device, (list = []));
          for (const row of rows) if (inRange(row)) list.push(row);
        }
      }
      for (const [device, list] of merged) if (list.length === 0) merged.delete(device);
      return merged;
    },
  };
}
