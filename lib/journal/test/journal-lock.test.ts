// The journal lock within one process: one handle per role; the other role is independent.
// Across processes, kill -9 and simultaneous starts: journal-lock.int.test.ts.
import { mkdtempSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { ConfigError } from '../../config/load-config.js';
import { JournalHeldError, lockJournal, type JournalLock } from '../journal-lock.js';

const folders: string[] = [];
const held: JournalLock[] = [];
afterEach(async () => {
  await Promise.all(held.splice(0).map((lock) => lock.release()));
});
afterAll(() => folders.forEach((f) => rmSync(f, { recursive: true, force: true })));

function folder(): string {
  const dir = mkdtempSync(join(tmpdir(), 'em-journal-lock-'));
  folders.push(dir);
  return dir;
}

async function lock(path: string, role: 'appender' | 'consumer'): Promise<JournalLock> {
  const taken = await lockJournal(path, role);
  held.push(taken);
  return taken;
}

describe('journal lock', () => {
  it('when a role is held, then a second lock of it is refused with the journal path and the holder pid, as a configuration error', async () => {
    const path = join(folder(), 'journal');
    await lock(path, 'consumer');
    const refused = lockJournal(path, 'consumer');
    await expect(refused).rejects.toBeInstanceOf(JournalHeldError);
    await expect(refused).rejects.toBeInstanceOf(ConfigError); // the services exit with code 2
    await expect(refused).rejects.toThrow(`journal ${path} is already open as its consumer (a write service) by pid ${process.pid}`);
  });

  it('when one role is held, then the other role can still be taken (a broker and a write service share a journal)', async () => {
    const path = join(folder(), 'journal');
    await lock(path, 'appender');
    await expect(lock(path, 'consumer')).resolves.toMatchObject({ role: 'consumer' });
  });

  it('when the holder releases, then the role can be taken again; releasing twice is harmless', async () => {
    const path = join(folder(), 'journal');
    const first = await lockJournal(path, 'appender');
    await first.release();
    await first.release();
    await expect(lock(path, 'appender')).resolves.toMatchObject({ role: 'appender' });
  });

  it('when the journal is reached through a symlink, then it is the same journal', async () => {
    const dir = folder();
    const path = join(dir, 'journal');
    await lock(path, 'appender');
    symlinkSync(path, join(dir, 'link'));
    await expect(lockJournal(join(dir, 'link'), 'appender')).rejects.toThrow(JournalHeldError);
  });

  it('when two locks of one role are asked for at once, then exactly one is granted', async () => {
    const path = join(folder(), 'journal');
    const outcomes = await Promise.allSettled([lockJournal(path, 'appender'), lockJournal(path, 'appender')]);
    for (const outcome of outcomes) if (outcome.status === 'fulfilled') held.push(outcome.value);
    expect(outcomes.map((o) => o.status).sort()).toEqual(['fulfilled', 'rejected']);
  });
});
