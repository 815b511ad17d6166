// The LMDB journal is an embedded store, not one of the servers the integration suite starts, so
// its contract runs with the unit tests, on real files in a temp folder.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { open } from 'lmdb';
import { afterAll, describe, expect, it } from 'vitest';
import { JournalHeldError } from '../journal-lock.js';
import { openLmdbJournal, type JournalCommit } from '../lmdb-journal.js';
import { runJournalContract } from './journal-contract.js';

const folders: string[] = [];
afterAll(() => folders.forEach((f) => rmSync(f, { recursive: true, force: true })));

runJournalContract('lmdb', {
  async open() {
    const dir = mkdtempSync(join(tmpdir(), 'em-journal-'));
    folders.push(dir);
    const path = join(dir, 'journal');
    // One handle in both roles: the contract covers appending and consuming alike.
    const journal = await openLmdbJournal(path, 'both');
    return {
      journal,
      reopen: async () => {
        await journal.close();
        return openLmdbJournal(path, 'both');
      },
    };
  },
});

describe('LMDB journal: consumer cursor and producer trimming', () => {
  const folder = (): string => {
    const dir = mkdtempSync(join(tmpdir(), 'em-journal-'));
    folders.push(dir);
    return join(dir, 'journal');
  };
  const physicalKeys = async (path: string): Promise<number[]> => {
    const root = open({ path, compression: false });
    const keys = [...root.openDB<Buffer, number>({ name: 'containers', encoding: 'binary' }).getKeys()];
    await root.close();
    return keys;
  };

  it('when the consumer marks entries stored, then the producer deletes them and the consumer wrote nothing to the shared file', async () => {
    const path = folder();
    const producer = await openLmdbJournal(path, 'appender');
    const keys = [];
    for (let i = 0; i < 5; i++) keys.push(await producer.appendContainer(Uint8Array.of(i)));
    const consumer = await openLmdbJournal(path, 'consumer');
    const peeked = consumer.peekContainers({ maxEntries: 3 }).map((e) => e.key);
    await consumer.removeContainers(peeked);
    // Stored but not trimmed yet: still in the file, no longer counted or peeked.
    expect(await physicalKeys(path)).toEqual(keys);
    expect(producer.depth().entries).toBe(2);
    expect(producer.peekContainers({ maxEntries: 10 }).map((e) => e.key)).toEqual(keys.slice(3));
    expect(await producer.trimConsumed(2)).toBe(2);
    expect(await producer.trimConsumed(10)).toBe(1);
    expect(await physicalKeys(path)).toEqual(keys.slice(3));
    await consumer.close();
    await producer.close();
  });

  it('when the consumer stores entries the producer has not trimmed, then both count the same depth, before and after trimming and reopening', async () => {
    const path = folder();
    let producer = await openLmdbJournal(path, 'appender');
    for (let i = 0; i < 10; i++) await producer.appendContainer(Uint8Array.of(i));
    let consumer = await openLmdbJournal(path, 'consumer');
    const first = consumer.peekContainers({ maxEntries: 6 }).map((e) => e.key);
    // Out of order: the later half first, so the cursor moves only when the gap closes.
    await consumer.removeContainers(first.slice(3));
    expect([producer.depth().entries, consumer.depth().entries]).toEqual([10, 10]);
    await consumer.removeContainers(first.slice(0, 3));
    expect([producer.depth().entries, consumer.depth().entries]).toEqual([4, 4]);
    await consumer.removeContainers(first); // a replay moves nothing
    expect(await producer.trimConsumed(100)).toBe(6);
    expect([producer.depth().entries, consumer.depth().entries]).toEqual([4, 4]);
    await Promise.all([producer.close(), consumer.close()]);
    [producer, consumer] = [await openLmdbJournal(path, 'appender'), await openLmdbJournal(path, 'consumer')];
    await producer.appendContainer(Uint8Array.of(99));
    expect([producer.depth().entries, consumer.depth().entries]).toEqual([5, 5]);
    await consumer.removeContainers(consumer.peekContainers({ maxEntries: 100 }).map((e) => e.key));
    expect([producer.depth().entries, consumer.depth().entries]).toEqual([0, 0]);
    await Promise.all([producer.close(), consumer.close()]);
  });

  it('when a journal has no running totals yet (written before them), then its depth is counted and the totals continue from it', async () => {
    const path = folder();
    const old = await openLmdbJournal(path, 'both');
    for (let i = 0; i < 8; i++) await old.appendContainer(Uint8Array.of(i));
    await old.removeContainers(old.peekContainers({ maxEntries: 3 }).map((e) => e.key));
    await old.close();
    // What the older code left behind: no totals in either environment.
    const root = open({ path, compression: false });
    await root.openDB<number, string>({ name: 'meta' }).remove('appended-total');
    await root.close();
    const cursor = open<number, string>({ path: join(path, 'consumed'), compression: false });
    await cursor.remove('consumed-total');
    await cursor.close();

    const consumer = await openLmdbJournal(path, 'consumer');
    expect(consumer.depth().entries).toBe(5);
    await consumer.removeContainers(consumer.peekContainers({ maxEntries: 2 }).map((e) => e.key));
    expect(consumer.depth().entries).toBe(3);
    const producer = await openLmdbJournal(path, 'appender');
    await producer.appendContainer(Uint8Array.of(8));
    expect([producer.depth().entries, consumer.depth().entries]).toEqual([4, 4]);
    await consumer.removeContainers(consumer.peekContainers({ maxEntries: 1 }).map((e) => e.key));
    expect([producer.depth().entries, consumer.depth().entries]).toEqual([3, 3]);
    await Promise.all([producer.close(), consumer.close()]);
  });

  it('when the clock steps back after the journal was drained, then new keys still land above the cursor and are not lost', async () => {
    const path = folder();
    const first = await openLmdbJournal(path, 'both', { clock: () => 2_000_000 });
    const key = await first.appendContainer(Uint8Array.of(1));
    await first.removeContainers([key]);
    await first.trimConsumed(10);
    await first.close();
    const again = await openLmdbJournal(path, 'both', { clock: () => 1 });
    const later = await again.appendContainer(Uint8Array.of(2));
    expect(later).toBeGreaterThan(key);
    expect(await again.trimConsumed(10)).toBe(0);
    expect(again.peekContainers({ maxEntries: 10 }).map((e) => e.key)).toEqual([later]);
    await again.close();
  });

  it('when the cursor is moved ahead of the producer while it runs, then its next appends land above the cursor, are peeked and are not trimmed', async () => {
    // What a second appender's keys did to the cursor (acceptance test: a second broker on the same
    // journal): the consumer passed them, and the first broker's later appends were born below it.
    const path = folder();
    const producer = await openLmdbJournal(path, 'appender');
    const first = await producer.appendContainer(Uint8Array.of(1));
    const ahead = first + 60_000_000; // a minute of microsecond keys
    const cursor = open<number, string>({ path: join(path, 'consumed'), compression: false });
    await cursor.put('consumed-through', ahead);
    await cursor.close();
    const later = await Promise.all([producer.appendContainer(Uint8Array.of(2)), producer.appendContainer(Uint8Array.of(3))]);
    for (const key of later) expect(key).toBeGreaterThan(ahead);
    expect(await producer.trimConsumed(10)).toBe(1); // the first entry only: it is at or below the cursor
    expect(producer.peekContainers({ maxEntries: 10 }).map((e) => [e.key, [...e.container]])).toEqual([
      [later[0], [2]],
      [later[1], [3]],
    ]);
    expect(await physicalKeys(path)).toEqual(later);
    await producer.close();
  });
});

describe('LMDB journal: one handle per role', () => {
  const folder = (): string => {
    const dir = mkdtempSync(join(tmpdir(), 'em-journal-'));
    folders.push(dir);
    return join(dir, 'journal');
  };

  it('when a consumer is open, then a second consumer is refused naming the journal, an appender is not, and after close a consumer opens again', async () => {
    const path = folder();
    const consumer = await openLmdbJournal(path, 'consumer');
    await expect(openLmdbJournal(path, 'consumer')).rejects.toThrow(new JournalHeldError(
      `journal ${path} is already open as its consumer (a write service) by pid ${process.pid}. ` +
        'Only one process per role may open a journal: give each broker its own journal path, with one write service beside it.',
    ));
    const producer = await openLmdbJournal(path, 'appender');
    await consumer.close();
    const again = await openLmdbJournal(path, 'consumer');
    await Promise.all([producer.close(), again.close()]);
  });

  it('when an appender is open, then a second appender is refused, and a handle for both roles refused on one holds neither', async () => {
    const path = folder();
    const producer = await openLmdbJournal(path, 'appender');
    await expect(openLmdbJournal(path, 'appender')).rejects.toThrow(JournalHeldError);
    await expect(openLmdbJournal(path, 'both')).rejects.toThrow(JournalHeldError);
    const consumer = await openLmdbJournal(path, 'consumer'); // 'both' let its consumer lock go
    await Promise.all([producer.close(), consumer.close()]);
  });

  it("when a handle does another role's writes, then it is refused and nothing is written", async () => {
    const path = folder();
    const producer = await openLmdbJournal(path, 'appender');
    const consumer = await openLmdbJournal(path, 'consumer');
    await expect(consumer.appendContainer(Uint8Array.of(1))).rejects.toThrow('only its appender may append');
    await expect(consumer.trimConsumed(10)).rejects.toThrow('only its appender may trim');
    const key = await producer.appendContainer(Uint8Array.of(2));
    await expect(producer.removeContainers([key])).rejects.toThrow('only its consumer may remove entries');
    expect(consumer.peekContainers({ maxEntries: 10 }).map((e) => e.key)).toEqual([key]);
    await Promise.all([producer.close(), consumer.close()]);
  });
});

describe('LMDB journal: group commits reported', () => {
  const folder = (): string => {
    const dir = mkdtempSync(join(tmpdir(), 'em-journal-'));
    folders.push(dir);
    return join(dir, 'journal');
  };

  it('when appends arrive together and one by one, then every commit is reported once it is durable, and the entries add up', async () => {
    const commits: JournalCommit[] = [];
    const journal = await openLmdbJournal(folder(), 'appender', { onCommit: (commit) => commits.push(commit) });
    const payload = new Uint8Array(200);
    await Promise.all(Array.from({ length: 50 }, () => journal.appendContainer(payload)));
    expect(commits.length).toBeGreaterThanOrEqual(1);
    const afterBurst = commits.length;
    for (let i = 0; i < 3; i++) {
      await journal.appendContainer(payload);
      // Reported by the time the append resolves: the PUBACK waits for the same commit.
      expect(commits).toHaveLength(afterBurst + i + 1);
    }
    expect(commits.reduce((sum, c) => sum + c.entries, 0)).toBe(53);
    for (const commit of commits) expect(commit.durableMs).toBeGreaterThan(0);
    await journal.close();
  });

  it('when the journal is not durable, then its commits are reported all the same', async () => {
    const commits: JournalCommit[] = [];
    const journal = await openLmdbJournal(folder(), 'appender', { durable: false, onCommit: (commit) => commits.push(commit) });
    await journal.appendContainer(new Uint8Array(10));
    expect(commits).toEqual([{ entries: 1, durableMs: expect.any(Number) as number }]);
    await journal.close();
  });
});
