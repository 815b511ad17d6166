// One `npm start` per data folder (scripts/platform-lock.ts): a second start on a folder another
// start holds refuses at once, naming it, before it creates or starts anything; a start killed
// with -9 leaves nothing that keeps the next one out, even with its detached children still running.
// The holder stands in for a running platform: scripts/test/fixtures/hold-platform-lock.ts.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readdirSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import type { DirectoryLock } from '../../lib/fs/directory-lock.js';
import { CONFIG_ERROR_EXIT_CODE } from '../../lib/process/report-config-errors.js';
import { lockDataDir, PlatformRunningError } from '../platform-lock.js';

const repoRoot = fileURLToPath(new URL('../..', import.meta.url));
const folders: string[] = [];
const children: ChildProcess[] = [];
const strays: number[] = [];
const locks: DirectoryLock[] = [];

afterEach(async () => {
  for (const child of children.splice(0)) child.kill('SIGKILL');
  for (const pid of strays.splice(0)) killQuietly(pid);
  await Promise.all(locks.splice(0).map((lock) => lock.release()));
});
afterAll(() => folders.forEach((f) => rmSync(f, { recursive: true, force: true })));

function killQuietly(pid: number): void {
  try {
    process.kill(pid, 'SIGKILL');
  } catch {
    // already gone
  }
}

function folder(): string {
  const dir = mkdtempSync(join(tmpdir(), 'em-platform-lock-'));
  folders.push(dir);
  return dir;
}

interface Holder {
  readonly child: ChildProcess;
  readonly pid: number;
  /** The detached process it started, as npm start leaves InfluxDB and PostgreSQL. */
  readonly detachedPid: number;
  readonly exited: Promise<void>;
}

async function startHolder(dataDir: string): Promise<Holder> {
  const child = spawn(process.execPath, ['--import', 'tsx', 'scripts/test/fixtures/hold-platform-lock.ts', dataDir], {
    cwd: repoRoot,
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  children.push(child);
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const said = await new Promise<{ held: number; child: number }>((resolve, reject) => {
    let out = '';
    child.stdout?.on('data', (chunk: Buffer) => {
      out += chunk.toString('utf8');
      if (out.includes('\n')) resolve(JSON.parse(out) as { held: number; child: number });
    });
    child.once('exit', (code) => reject(new Error(`holder exited (${code}) before holding the folder`)));
  });
  strays.push(said.child);
  return { child, pid: said.held, detachedPid: said.child, exited };
}

/** `npm start`'s own process (scripts/start.sh execs it), with only the variables it needs. */
function startPlatform(dataDir: string): ReturnType<typeof spawnSync> & { ms: number } {
  const { PATH, HOME } = process.env;
  const started = Date.now();
  const run = spawnSync(process.execPath, ['--import', 'tsx', 'scripts/start-platform.ts'], {
    cwd: repoRoot,
    env: { PATH, HOME, EM_DATA_DIR: dataDir },
    encoding: 'utf8',
    timeout: 60_000,
  });
  return { ...run, ms: Date.now() - started };
}

async function lock(dataDir: string): Promise<DirectoryLock> {
  const taken = await lockDataDir(dataDir);
  locks.push(taken);
  return taken;
}

describe('one npm start per data folder', () => {
  it('when a start holds the folder, then a second npm start refuses at once, naming the folder and pid, exit code 2, and creates nothing in it', async () => {
    const dataDir = join(folder(), 'data');
    const holder = await startHolder(dataDir);

    const second = startPlatform(dataDir);
    expect(second.status).toBe(CONFIG_ERROR_EXIT_CODE);
    expect(second.stderr).toContain(`Energymonitor is already running from ${dataDir} (pid ${holder.pid}); stop it first or set EM_DATA_DIR`);
    expect(second.stdout).not.toContain('starting Energymonitor');
    expect(readdirSync(dataDir)).toEqual([]); // no logs folder, no InfluxDB or PostgreSQL
    // Loading the start script is most of it; nothing waits for a server.
    expect(second.ms).toBeLessThan(20_000);
  });

  it('when the folder is reached through a symlink, then it is the same folder and the start is refused', async () => {
    const dir = folder();
    const dataDir = join(dir, 'data');
    const holder = await startHolder(dataDir);
    symlinkSync(dataDir, join(dir, 'link'));
    await expect(lockDataDir(join(dir, 'link'))).rejects.toThrow(`(pid ${holder.pid})`);
  });

  it('when the holding start was killed with -9 while its detached children still run, then the next start takes the folder over', async () => {
    const dataDir = join(folder(), 'data');
    const holder = await startHolder(dataDir);
    await expect(lockDataDir(dataDir)).rejects.toBeInstanceOf(PlatformRunningError);

    holder.child.kill('SIGKILL');
    await holder.exited;
    expect(() => process.kill(holder.detachedPid, 0)).not.toThrow(); // the "InfluxDB" lives on
    await expect(lock(dataDir)).resolves.toBeDefined();
  });

  it('when two starts ask at the same moment, then exactly one gets the folder', async () => {
    const dataDir = folder();
    const outcomes = await Promise.allSettled([lockDataDir(dataDir), lockDataDir(dataDir)]);
    for (const outcome of outcomes) if (outcome.status === 'fulfilled') locks.push(outcome.value);
    expect(outcomes.map((o) => o.status).sort()).toEqual(['fulfilled', 'rejected']);
  });

  it('when the folder is missing, then it is created and held; once released, the next start takes it', async () => {
    const dataDir = join(folder(), 'new', 'data');
    const first = await lockDataDir(dataDir);
    expect(readdirSync(dataDir)).toEqual([]);
    await expect(lockDataDir(dataDir)).rejects.toThrow(`Energymonitor is already running from ${dataDir} (pid ${process.pid})`);
    await first.release();
    await expect(lock(dataDir)).resolves.toBeDefined();
  });
});
