import { describe, expect, it } from 'vitest';
import { createChunkCache } from '../domain/chunk-cache.js';

const CHUNK = 100;
type Row = { t: number };

/** A source with one row every 10 ms for device `d`, recording what it was asked. */
function source() {
  const calls: [number, number][] = [];
  const fetch = (fromMs: number, toMs: number): Promise<Map<string, Row[]>> => {
    calls.push([fromMs, toMs]);
    const rows: Row[] = [];
    for (let t = Math.ceil(fromMs / 10) * 10; t < toMs; t += 10) rows.push({ t });
    return Promise.resolve(new Map(rows.length === 0 ? [] : [['d', rows]]));
  };
  return { calls, fetch };
}

const times = (result: Map<string, Row[]>): number[] => (result.get('d') ?? []).map((r) => r.t);
const expected = (from: number, to: number): number[] => Array.from({ length: Math.ceil((to - from) / 10) }, (_, i) => from + i * 10);

describe('chunk cache', () => {
  it('when a range is read twice, then the second read fetches only the part that is not final', async () => {
    let now = 0;
    const cache = createChunkCache<Row>({ chunkMs: CHUNK, maxChunks: 100, ttlMs: 1_000, now: () => now });
    const { calls, fetch } = source();
    const range = { fromMs: 50, toMs: 720, finalBeforeMs: 600 };
    expect(times(await cache.read('k', range, fetch, (r) => r.t))).toEqual(expected(50, 720));
    // The missing chunks 0–600 (the first only partly asked for) in one request, then the fresh tail.
    expect(calls).toEqual([[0, 600], [600, 720]]);
    calls.length = 0;
    now = 500;
    expect(times(await cache.read('k', range, fetch, (r) => r.t))).toEqual(expected(50, 720));
    expect(calls).toEqual([[600, 720]]);
    expect(cache.stats).toEqual({ hits: 6, misses: 6 });
  });

  it('when a range ends inside a final chunk, then that whole chunk is cached and cut to the range', async () => {
    const cache = createChunkCache<Row>({ chunkMs: CHUNK, maxChunks: 100, ttlMs: 1_000, now: () => 0 });
    const { calls, fetch } = source();
    expect(times(await cache.read('k', { fromMs: 120, toMs: 250, finalBeforeMs: 1_000 }, fetch, (r) => r.t))).toEqual(expected(120, 250));
    expect(calls).toEqual([[100, 300]]);
    expect(times(await cache.read('k', { fromMs: 200, toMs: 230, finalBeforeMs: 1_000 }, fetch, (r) => r.t))).toEqual(expected(200, 230));
    expect(calls).toHaveLength(1);
  });

  it('when entries are older than the TTL or evicted, then they are fetched again', async () => {
    let now = 0;
    const cache = createChunkCache<Row>({ chunkMs: CHUNK, maxChunks: 2, ttlMs: 1_000, now: () => now });
    const { calls, fetch } = source();
    await cache.read('k', { fromMs: 0, toMs: 300, finalBeforeMs: 1_000 }, fetch, (r) => r.t);
    calls.length = 0;
    // Only two chunks fit: 0–100 was evicted.
    await cache.read('k', { fromMs: 0, toMs: 300, finalBeforeMs: 1_000 }, fetch, (r) => r.t);
    expect(calls).toEqual([[0, 100]]);
    calls.length = 0;
    now = 2_000;
    await cache.read('k', { fromMs: 200, toMs: 300, finalBeforeMs: 1_000 }, fetch, (r) => r.t);
    expect(calls).toEqual([[200, 300]]);
  });

  it('when keys differ or the cache is off, then nothing is shared', async () => {
    const cache = createChunkCache<Row>({ chunkMs: CHUNK, maxChunks: 10, ttlMs: 1_000, now: () => 0 });
    const { calls, fetch } = source();
    await cache.read('a', { fromMs: 0, toMs: 200, finalBeforeMs: 1_000 }, fetch, (r) => r.t);
    await cache.read('b', { fromMs: 0, toMs: 200, finalBeforeMs: 1_000 }, fetch, (r) => r.t);
    expect(calls).toHaveLength(2);
    const off = createChunkCache<Row>({ chunkMs: CHUNK, maxChunks: 0, ttlMs: 1_000, now: () => 0 });
    const second = source();
    await off.read('a', { fromMs: 0, toMs: 200, finalBeforeMs: 1_000 }, second.fetch, (r) => r.t);
    await off.read('a', { fromMs: 0, toMs: 200, finalBeforeMs: 1_000 }, second.fetch, (r) => r.t);
    expect(second.calls).toEqual([[0, 200], [0, 200]]);
  });

  it('when an hour is invalidated, then only the chunks over it are fetched again, for every key', async () => {
    const cache = createChunkCache<Row>({ chunkMs: CHUNK, maxChunks: 100, ttlMs: 1_000, now: () => 0 });
    const { calls, fetch } = source();
    await cache.read('a', { fromMs: 0, toMs: 400, finalBeforeMs: 1_000 }, fetch, (r) => r.t);
    await cache.read('b', { fromMs: 0, toMs: 400, finalBeforeMs: 1_000 }, fetch, (r) => r.t);
    calls.length = 0;
    cache.invalidate(150, 250);
    await cache.read('a', { fromMs: 0, toMs: 400, finalBeforeMs: 1_000 }, fetch, (r) => r.t);
    await cache.read('b', { fromMs: 0, toMs: 400, finalBeforeMs: 1_000 }, fetch, (r) => r.t);
    expect(calls).toEqual([[100, 300], [100, 300]]);
  });
});
