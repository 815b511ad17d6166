// A cache of per-device history in fixed time chunks, for the parts of a range that can no longer
// change. A year of hourly energy counters is 26,000 rows from InfluxDB for three devices — about
// half a second on the 2-core reference machine, however often the same year view is opened —
// while all but its last days are final once rollup reconciliation has passed them. Chunks lie on
// a fixed grid (so any range reuses them); the partial chunks at a range's edges and everything
// newer than `finalBeforeMs` are always read fresh. When rollup reconciliation folds late data into
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
      const firstChunk = Math.ceil(range.fromMs / chunkMs) * chunkMs;
      const lastChunkEnd = Math.floor(Math.min(range.toMs, range.finalBeforeMs) / chunkMs) * chunkMs;
      if (options.maxChunks <= 0 || lastChunkEnd <= firstChunk) return fetch(range.fromMs, range.toMs);

      // Pieces in time order: fresh head, cached or missing chunks, fresh tail.
      type Piece = { fromMs: number; toMs: number; cached?: PerDevice<T> };
      const pieces: Piece[] = [];
      if (range.fromMs < firstChunk) pieces.push({ fromMs: range.fromMs, toMs: firstChunk });
      for (let start = firstChunk; start < lastChunkEnd; start += chunkMs) {
        const cached = lookup(`${key}\u0000${start}`);
        if (cached !== undefined) stats.hits += 1;
        else stats.misses += 1;
        const previous = pieces[pieces.length - 1];
        // Adjacent missing chunks are fetched together, then split.
        if (cached === undefined && previous !== undefined && previous.cached === undefined && previous.fromMs >= firstChunk && previous.toMs === start) previous.toMs = start + chunkMs;
        else pieces.push({ fromMs: start, toMs: start + chunkMs, cached });
      }
      if (lastChunkEnd < range.toMs) pieces.push({ fromMs: lastChunkEnd, toMs: range.toMs });

      const results = await Promise.all(pieces.map(async (piece) => piece.cached ?? (await fetch(piece.fromMs, piece.toMs))));
      for (const [i, piece] of pieces.entries()) {
        if (piece.cached !== undefined || piece.fromMs < firstChunk || piece.toMs > lastChunkEnd) continue;
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
      for (const result of results) {
        for (const [device, rows] of result) {
          const list = merged.get(device);
          if (list === undefined) merged.set(device, [...rows]);
          else for (const row of rows) list.push(row);
        }
      }
      return merged;
    },
  };
}
