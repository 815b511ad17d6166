// The LMDB journal is an embedded store, not one of the servers the integration suite starts, so
// its contract runs with the unit tests, on real files in a temp folder.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll } from 'vitest';
import { openLmdbJournal } from '../lmdb-journal.js';
import { runJournalContract } from './journal-contract.js';

const folders: string[] = [];
afterAll(() => folders.forEach((f) => rmSync(f, { recursive: true, force: true })));

runJournalContract('lmdb', {
  open() {
    const dir = mkdtempSync(join(tmpdir(), 'em-journal-'));
    folders.push(dir);
    const path = join(dir, 'journal');
    const journal = openLmdbJournal(path);
    return Promise.resolve({
      journal,
      reopen: async () => {
        await journal.close();
        return openLmdbJournal(path);
      },
    });
  },
});
