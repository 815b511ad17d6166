// The contract every ContainerJournal adapter must pass (the aedes-persistence idea: one abstract
// suite, many adapters). Adapters call runJournalContract with a factory for a fresh journal.
import { afterEach, describe, expect, it } from 'vitest';
import type { ContainerJournal } from '../container-journal.js';

export interface JournalFactory {
  /** A fresh, empty journal. `reopen` closes it and opens the same storage again (if persistent). */
  open(): Promise<{ journal: ContainerJournal; reopen?: () => Promise<ContainerJournal> }>;
}

const bytes = (...values: number[]): Uint8Array => Uint8Array.from(values);

export function runJournalContract(name: string, factory: JournalFactory): void {
  describe(`ContainerJournal contract: ${name}`, () => {
    const opened: ContainerJournal[] = [];
    afterEach(async () => {
      await Promise.all(opened.splice(0).map((j) => j.close()));
    });
    const fresh = async () => {
      const handle = await factory.open();
      opened.push(handle.journal);
      return handle;
    };

    it('when containers are appended, then they are peeked oldest first with growing keys', async () => {
      const { journal } = await fresh();
      const keys = [await journal.appendContainer(bytes(1)), await journal.appendContainer(bytes(2, 2))];
      expect(keys[1]).toBeGreaterThan(keys[0] ?? Infinity);
      const peeked = journal.peekContainers({ maxEntries: 10 });
      expect(peeked.map((e) => [...e.container])).toEqual([[1], [2, 2]]);
      expect(peeked.map((e) => e.key)).toEqual(keys);
    });

    it('when many appends run concurrently, then every one gets a distinct key and is stored', async () => {
      const { journal } = await fresh();
      const keys = await Promise.all(Array.from({ length: 500 }, (_, i) => journal.appendContainer(bytes(i % 256))));
      expect(new Set(keys).size).toBe(500);
      expect(journal.peekContainers({ maxEntries: 1000 })).toHaveLength(500);
      expect(journal.depth().entries).toBe(500);
    });

    it('when peeking after a key with a limit, then only later entries up to the limit come back', async () => {
      const { journal } = await fresh();
      const keys: number[] = [];
      for (let i = 0; i < 5; i++) keys.push(await journal.appendContainer(bytes(i)));
      const page = journal.peekContainers({ afterKey: keys[1], maxEntries: 2 });
      expect(page.map((e) => e.key)).toEqual([keys[2], keys[3]]);
    });

    it('when a peeked entry is removed, then it is gone; removing it again is harmless', async () => {
      const { journal } = await fresh();
      const a = await journal.appendContainer(bytes(1));
      const b = await journal.appendContainer(bytes(2));
      await journal.removeContainers([a]);
      await journal.removeContainers([a]);
      expect(journal.peekContainers({ maxEntries: 10 }).map((e) => e.key)).toEqual([b]);
      expect(journal.depth().entries).toBe(1);
    });

    it('when a peeked buffer is mutated by the caller, then the stored entry is unchanged', async () => {
      const { journal } = await fresh();
      await journal.appendContainer(bytes(7, 7));
      const [first] = journal.peekContainers({ maxEntries: 1 });
      first?.container.fill(0);
      expect([...(journal.peekContainers({ maxEntries: 1 })[0]?.container ?? [])]).toEqual([7, 7]);
    });

    it('when entries were peeked, then their bytes stay theirs through later peeks, appends and removals', async () => {
      const { journal } = await fresh();
      // Sizes around and past a page (4 KB) and LMDB's shared read buffer, each with its own content.
      const sizes = [1, 100, 4000, 5000, 70_000, 300];
      const contents = sizes.map((size, i) => Uint8Array.from({ length: size }, (_, b) => (b * 7 + i * 31) % 256));
      for (const content of contents) await journal.appendContainer(content);
      const first = journal.peekContainers({ maxEntries: 100 });
      for (let round = 0; round < 3; round++) {
        await journal.appendContainer(Uint8Array.from({ length: 70_000 }, () => 0xee));
        journal.peekContainers({ maxEntries: 100 });
      }
      await journal.removeContainers(first.slice(0, 2).map((entry) => entry.key));
      journal.peekContainers({ maxEntries: 100 });
      expect(first.map((entry) => Buffer.from(entry.container).equals(Buffer.from(contents[first.indexOf(entry)] ?? [])))).toEqual(sizes.map(() => true));
    });

    it('when the journal is reopened, then removed entries are gone, unremoved ones still there, and new keys are greater', async () => {
      const handle = await fresh();
      if (handle.reopen === undefined) return; // in-memory adapters have nothing to reopen
      await handle.journal.removeContainers([await handle.journal.appendContainer(bytes(8))]);
      const kept = await handle.journal.appendContainer(bytes(9));
      opened.splice(opened.indexOf(handle.journal), 1);
      const again = await handle.reopen();
      opened.push(again);
      expect(again.peekContainers({ maxEntries: 10 }).map((e) => e.key)).toEqual([kept]);
      expect(await again.appendContainer(bytes(10))).toBeGreaterThan(kept);
    });

    it('when entries are removed out of order, then the removed ones are not peeked again and all go once the gap is removed', async () => {
      const { journal } = await fresh();
      const keys: number[] = [];
      for (let i = 0; i < 4; i++) keys.push(await journal.appendContainer(bytes(i)));
      const [a, b, c, d] = keys as [number, number, number, number];
      await journal.removeContainers([c, d]); // a later batch stored first
      expect(journal.peekContainers({ maxEntries: 10 }).map((e) => e.key)).toEqual([a, b]);
      expect(journal.peekContainers({ afterKey: a, maxEntries: 10 }).map((e) => e.key)).toEqual([b]);
      await journal.removeContainers([a, b]);
      expect(journal.peekContainers({ maxEntries: 10 })).toEqual([]);
      expect(journal.depth().entries).toBe(0);
    });

    it('when consumed entries are trimmed, then they stay gone and unconsumed ones stay', async () => {
      const { journal } = await fresh();
      const a = await journal.appendContainer(bytes(1));
      const b = await journal.appendContainer(bytes(2));
      await journal.removeContainers([a]);
      await journal.trimConsumed(100);
      expect(await journal.trimConsumed(100)).toBe(0);
      expect(journal.peekContainers({ maxEntries: 10 }).map((e) => e.key)).toEqual([b]);
      expect(journal.depth().entries).toBe(1);
    });
  });
}
