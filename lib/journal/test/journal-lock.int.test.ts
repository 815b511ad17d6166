// The journal lock between real processes: freed by kill -9, atomic when two start at once, and
// never what keeps a process alive. The holders run lib/journal/test/fixtures/hold-journal-lock.ts.
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { JournalHeldError, lockJournal, type JournalLock, type JournalRole } from '../journal-lock.js';

const repoRoot = fileURLToPath(new URL('../../..', import.meta.url));
const holderScript = 'lib/journal/test/fixtures/hold-journal-lock.ts';
const folders: string[] = [];
const children: ChildProcess[] = [];
const locks: JournalLock[] = [];
afterEach(async () => {
  for (const child of children.splice(0)) child.kill('SIGKILL');
  await Promise.all(locks.splice(0).map((lock) => lock.release()));
});
afterAll(() => folders.forEach((f) => rmSync(f, { recursive: true, force: true })));

function journalPath(): string {
  const dir = mkdtempSync(join(tmpdir(), 'em-journal-lock-'));
  folders.push(dir);
  return join(dir, 'journal');
}

interface Holder {
  readonly child: ChildProcess;
  /** Resolves 'held' once the child holds the role, or with its exit code if it ended first. */
  readonly outcome: Promise<'held' | number | null>;
  readonly stderr: () => string;
  readonly exited: Promise<void>;
}

function startHolder(path: string, role: JournalRole, options: { startAtMs?: number; mode?: 'stay' | 'idle' } = {}): Holder {
  const child = spawn(process.execPath, ['--import', 'tsx', holderScript, path, role, String(options.startAtMs ?? 0), options.mode ?? 'stay'], {
    cwd: repoRoot,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  children.push(child);
  let stderr = '';
  child.stderr?.on('data', (chunk: Buffer) => (stderr += chunk.toString('utf8')));
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const outcome = new Promise<'held' | number | null>((resolve) => {
    child.stdout?.on('data', (chunk: Buffer) => {
      if (chunk.toString('utf8').includes('"held"')) resolve('held');
    });
    child.once('exit', (code) => resolve(code));
  });
  return { child, outcome, stderr: () => stderr, exited };
}

async function lock(path: string, role: JournalRole): Promise<JournalLock> {
  const taken = await lockJournal(path, role);
  locks.push(taken);
  return taken;
}

describe('journal lock between processes', () => {
  it('when another process holds the appender role, then a second appender is refused naming its pid, and once it is killed -9 the role is free', async () => {
    const path = journalPath();
    const holder = startHolder(path, 'appender');
    expect(await holder.outcome).toBe('held');

    const refused = lockJournal(path, 'appender');
    await expect(refused).rejects.toBeInstanceOf(JournalHeldError);
    await expect(refused).rejects.toThrow(`journal ${path} is already open as its appender (a broker) by pid ${holder.child.pid}`);
    await lock(path, 'consumer'); // the other role is independent

    holder.child.kill('SIGKILL');
    await holder.exited;
    await expect(lock(path, 'appender')).resolves.toMatchObject({ role: 'appender' });
  });

  it('when another process holds the consumer role, then a second consumer is refused until it is killed -9', async () => {
    const path = journalPath();
    const holder = startHolder(path, 'consumer');
    expect(await holder.outcome).toBe('held');
    await expect(lockJournal(path, 'consumer')).rejects.toThrow(`by pid ${holder.child.pid}`);
    holder.child.kill('SIGKILL');
    await holder.exited;
    await expect(lock(path, 'consumer')).resolves.toMatchObject({ role: 'consumer' });
  });

  it('when two processes take one role at the same instant, then exactly one holds it and the other exits with code 2 naming the holder', async () => {
    const path = journalPath();
    const startAtMs = Date.now() + 3_000; // both are loaded and waiting by then
    const holders = [startHolder(path, 'appender', { startAtMs }), startHolder(path, 'appender', { startAtMs })];
    const outcomes = await Promise.all(holders.map((h) => h.outcome));
    expect([...outcomes].sort()).toEqual([2, 'held']);
    const winner = holders[outcomes.indexOf('held')];
    const loser = holders[outcomes.indexOf(2)];
    expect(loser?.stderr()).toContain(`journal ${path} is already open as its appender (a broker) by pid ${winner?.child.pid}`);
  });

  it('when the holder has nothing else to do, then the lock does not keep it alive', async () => {
    const holder = startHolder(journalPath(), 'consumer', { mode: 'idle' });
    expect(await holder.outcome).toBe('held');
    await holder.exited;
    expect(holder.child.exitCode).toBe(0);
  });
});
