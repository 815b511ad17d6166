// ContainerJournal in memory, for unit tests of consumers. It passes the same contract suite as
// the LMDB journal (lib/journal/test/journal-contract.ts), so tests against it mean something.
import type { ContainerJournal, JournalEntry, JournalKey } from './container-journal.js';

export function createMemoryJournal(): ContainerJournal {
  const entries = new Map<JournalKey, Uint8Array>();
  let nextKey = 1;
  let bytes = 0;
  return {
    appendContainer(container) {
      const key = nextKey++;
      const copy = container.slice();
      entries.set(key, copy);
      bytes += copy.byteLength;
      return Promise.resolve(key);
    },
    peekContainers({ afterKey, maxEntries }) {
      const out: JournalEntry[] = [];
      // Map iteration follows insertion order, which is key order here.
      for (const [key, container] of entries) {
        if (out.length >= maxEntries) break;
        if (afterKey === undefined || key > afterKey) out.push({ key, container: container.slice() });
      }
      return out;
    },
    removeContainers(keys) {
      for (const key of keys) {
        const container = entries.get(key);
        if (container === undefined) continue;
        bytes -= container.byteLength;
        entries.delete(key);
      }
      return Promise.resolve();
    },
    // Removal deletes at once here: there is no second process to keep out of a write lock.
    trimConsumed() {
      return Promise.resolve(0);
    },
    depth() {
      return { entries: entries.size, bytes };
    },
    close() {
      return Promise.resolve();
    },
  };
}
