import { open as lmdbOpen } from 'lmdb';
import { afterEach, describe, expect, it } from 'vitest';
import { decodeContainer } from '../../proto/container.js';
import { makeTempDir, type TempDir } from '../../test/support/temp-dir.js';
import { openOutboxStore, type ContainerDraft, type OutboxStore } from '../outbox.js';

function draft(agentId: string, createdAtMs: number): ContainerDraft {
  return {
    householdId: 'h-1',
    agentId,
    createdAtMs,
    measurements: [{ deviceId: 'fridge', quantity: 'power_w', value: createdAtMs / 1000, timestampMs: createdAtMs }],
  };
}

describe('outbox', () => {
  const cleanups: (() => Promise<void> | void)[] = [];
  afterEach(async () => {
    for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
  });

  function tempDir(): TempDir {
    const dir = makeTempDir('outbox');
    cleanups.push(() => dir.remove());
    return dir;
  }

  function open(dir: TempDir, maxEntriesPerAgent?: number, onDrop?: (agentId: string, n: number) => void): OutboxStore {
    const store = openOutboxStore(dir.join('outbox.mdb'), { maxEntriesPerAgent, onDrop });
    cleanups.push(() => store.close()); // closing twice is harmless
    return store;
  }

  it('assigns seq from 1 and peeks oldest first, the payload being the encoded container', async () => {
    const outbox = open(tempDir()).forAgent('a-1');
    for (const t of [1000, 2000, 3000]) await outbox.append(draft('a-1', t));
    const entries = outbox.peek({ afterSeq: 0, limit: 10 });
    expect(entries.map((e) => e.seq)).toEqual([1, 2, 3]);
    expect(decodeContainer(entries[1]?.payload ?? new Uint8Array())).toMatchObject({ agentId: 'a-1', seq: 2, createdAtMs: 2000 });
    expect(outbox.peek({ afterSeq: 1, limit: 1 }).map((e) => e.seq)).toEqual([2]);
    expect(outbox.depth()).toBe(3);
  });

  it('removes acknowledged entries; removing an absent entry is not an error', async () => {
    const outbox = open(tempDir()).forAgent('a-1');
    for (const t of [1, 2, 3]) await outbox.append(draft('a-1', t));
    expect(await outbox.remove(2)).toBe(true);
    expect(await outbox.remove(2)).toBe(false);
    expect(outbox.peek({ afterSeq: 0, limit: 10 }).map((e) => e.seq)).toEqual([1, 3]);
    expect(outbox.depth()).toBe(2);
  });

  it('when reopened, then the entries are still there and seq continues', async () => {
    const dir = tempDir();
    const first = open(dir);
    for (const t of [1, 2]) await first.forAgent('a-1').append(draft('a-1', t));
    await first.close();
    const outbox = open(dir).forAgent('a-1');
    expect(outbox.depth()).toBe(2);
    expect(outbox.peek({ afterSeq: 0, limit: 10 }).map((e) => e.seq)).toEqual([1, 2]);
    expect((await outbox.append(draft('a-1', 3))).seq).toBe(3);
  });

  it('when the outbox emptied before a restart, then seq still only grows', async () => {
    const dir = tempDir();
    const first = open(dir);
    const outbox = first.forAgent('a-1');
    for (const t of [1, 2, 3]) await outbox.append(draft('a-1', t));
    for (const seq of [1, 2, 3]) await outbox.remove(seq);
    await first.close();
    const reopened = open(dir).forAgent('a-1');
    expect(reopened.depth()).toBe(0);
    expect(reopened.nextSeq()).toBe(4);
    expect((await reopened.append(draft('a-1', 4))).seq).toBe(4);
  });

  it('keeps the newest reading stamp sealed per agent across a restart, even after the outbox emptied; a fresh folder has none', async () => {
    const dir = tempDir();
    const first = open(dir);
    const outbox = first.forAgent('a-1');
    expect(outbox.newestStampMs()).toBeUndefined();
    for (const t of [5000, 9000, 7000]) await outbox.append(draft('a-1', t)); // a container's stamps may come out of order
    await outbox.append({ ...draft('a-1', 0), measurements: [] });
    await first.forAgent('a-2').append(draft('a-2', 1000));
    for (const seq of [1, 2, 3, 4]) await outbox.remove(seq);
    expect(outbox.newestStampMs()).toBe(9000);
    await first.close();
    const reopened = open(dir);
    expect(reopened.forAgent('a-1').newestStampMs()).toBe(9000);
    expect(reopened.forAgent('a-2').newestStampMs()).toBe(1000);
    expect(reopened.forAgent('a-3').newestStampMs()).toBeUndefined();
  });

  it('when the stored next seq is missing, then seq continues after the newest entry', async () => {
    const dir = tempDir();
    const first = open(dir);
    for (const t of [1000, 2000, 3000]) await first.forAgent('a-1').append(draft('a-1', t));
    await first.close();
    const raw = lmdbOpen({ path: dir.join('outbox.mdb'), compression: false });
    await raw.openDB({ name: 'next-seq' }).drop();
    await raw.close();
    const reopened = open(dir).forAgent('a-1');
    expect(reopened.nextSeq()).toBe(4);
    expect((await reopened.append(draft('a-1', 4000))).seq).toBe(4);
  });

  it('when an outbox written before newest stamps were kept is opened, then the newest stamp comes from its newest container', async () => {
    const dir = tempDir();
    const first = open(dir);
    for (const t of [5000, 9000, 7000]) await first.forAgent('a-1').append(draft('a-1', t));
    await first.close();
    // As an agent of the version before left it: containers, no newest stamp.
    const raw = lmdbOpen({ path: dir.join('outbox.mdb'), compression: false });
    await raw.openDB({ name: 'newest-stamp' }).drop();
    await raw.close();
    const reopened = open(dir);
    // The newest container's stamp (7000): what the last seal carried, which a restart must not go back behind.
    expect(reopened.forAgent('a-1').newestStampMs()).toBe(7000);
    expect(reopened.forAgent('a-2').newestStampMs()).toBeUndefined();
  });

  it('when full, then the oldest entries are dropped and counted', async () => {
    const drops: [string, number][] = [];
    const outbox = open(tempDir(), 3, (agentId, n) => drops.push([agentId, n])).forAgent('a-1');
    for (const t of [1, 2, 3, 4, 5]) await outbox.append(draft('a-1', t));
    expect(outbox.peek({ afterSeq: 0, limit: 10 }).map((e) => e.seq)).toEqual([3, 4, 5]);
    expect(outbox.depth()).toBe(3);
    expect(outbox.dropped()).toBe(2);
    expect(drops).toEqual([
      ['a-1', 1],
      ['a-1', 1],
    ]);
  });

  it('keeps agents apart in one environment, even when one id is a prefix of another', async () => {
    const store = open(tempDir());
    const ids = ['a', 'a-1', 'a_1', 'a0', 'b'];
    for (const [i, id] of ids.entries()) {
      for (let n = 0; n <= i; n++) await store.forAgent(id).append(draft(id, n));
    }
    for (const [i, id] of ids.entries()) {
      const entries = store.forAgent(id).peek({ afterSeq: 0, limit: 100 });
      expect(entries.map((e) => decodeContainer(e.payload).agentId)).toEqual(Array(i + 1).fill(id));
      expect(store.forAgent(id).depth()).toBe(i + 1);
    }
    expect(store.totalDepth()).toBe(15);
    await expect(store.forAgent('a').append(draft('b', 1))).rejects.toThrow(/outbox of a/);
  });
});
