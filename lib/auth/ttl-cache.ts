// A small map whose entries expire after a fixed time; expired entries are dropped when read, and
// the map is swept when it grows past `maxEntries` so a flood of distinct keys cannot grow it forever.

export interface TtlCache<V> {
  get(key: string): V | undefined;
  set(key: string, value: V, ttlMs: number): void;
  delete(key: string): void;
  clear(): void;
  readonly size: number;
}

export function createTtlCache<V>(clock: () => number, maxEntries = 100_000): TtlCache<V> {
  const entries = new Map<string, { value: V; expiresAt: number }>();
  const sweep = (): void => {
    const now = clock();
    for (const [key, entry] of entries) if (entry.expiresAt <= now) entries.delete(key);
    // Still full of live entries: drop the oldest inserted (Map keeps insertion order).
    for (const key of entries.keys()) {
      if (entries.size < maxEntries) break;
      entries.delete(key);
    }
  };
  return {
    get(key) {
      const entry = entries.get(key);
      if (entry === undefined) return undefined;
      if (entry.expiresAt > clock()) return entry.value;
      entries.delete(key);
      return undefined;
    },
    set(key, value, ttlMs) {
      if (ttlMs <= 0) return;
      if (entries.size >= maxEntries) sweep();
      entries.delete(key);
      entries.set(key, { value, expiresAt: clock() + ttlMs });
    },
    delete: (key) => void entries.delete(key),
    clear: () => entries.clear(),
    get size() {
      return entries.size;
    },
  };
}
