// scripts/ensure-deps.sh runs one at a time: `npm start` and `npm test` started together on a fresh
// clone must not run two `npm install`s into one node_modules or two apt-gets. The second waits for
// the first, says so, and then does its (by then empty) work; a holder killed with -9 keeps no one out.
// A holder here is flock(1) on the same file, as a running ensure-deps.sh holds it.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, afterEach, describe, expect, it } from 'vitest';

const repoRoot = fileURLToPath(new URL('../..', import.meta.url));
const folder = mkdtempSync(join(tmpdir(), 'em-deps-lock-'));
const children: ChildProcess[] = [];
const holders: ChildProcess[] = [];

function killGroup(child: ChildProcess): void {
  try {
    if (child.pid !== undefined) process.kill(-child.pid, 'SIGKILL');
  } catch {
    // already gone
  }
}

afterEach(() => {
  for (const child of children.splice(0)) child.kill('SIGKILL');
  holders.splice(0).forEach(killGroup);
});
afterAll(() => rmSync(folder, { recursive: true, force: true }));

interface Holder {
  readonly child: ChildProcess;
  release(): void;
}

/** Holds `lock` until released (its stdin ends) or killed; resolves once it holds it. */
async function holdLock(lock: string): Promise<Holder> {
  // Its own process group: flock's command inherits the locked descriptor, so only killing both
  // frees the lock, as the kernel frees an ensure-deps.sh killed with its children.
  const child = spawn('flock', [lock, 'sh', '-c', 'echo held; cat >/dev/null'], { stdio: ['pipe', 'pipe', 'inherit'], detached: true });
  holders.push(child);
  await new Promise<void>((resolve, reject) => {
    child.stdout?.once('data', () => resolve());
    child.once('exit', (code) => reject(new Error(`flock exited with ${code} before holding the lock`)));
  });
  return { child, release: () => child.stdin?.end() };
}

interface Run {
  readonly child: ChildProcess;
  readonly stderr: () => string;
  readonly exited: Promise<number | null>;
}

function ensureDeps(lock: string): Run {
  const child = spawn('bash', ['scripts/ensure-deps.sh'], {
    cwd: repoRoot,
    env: { ...process.env, EM_DEPS_LOCK: lock },
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  children.push(child);
  let stderr = '';
  child.stderr?.setEncoding('utf8').on('data', (text: string) => {
    stderr += text;
  });
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  return { child, stderr: () => stderr, exited };
}

async function stderrSays(run: Run, text: string): Promise<void> {
  while (!run.stderr().includes(text)) {
    if (run.child.exitCode !== null) throw new Error(`ensure-deps.sh exited (${run.child.exitCode}) without saying "${text}": ${run.stderr()}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

describe('ensure-deps.sh', () => {
  it('waits while another install holds the lock, says so, and finishes once it is free', async () => {
    const lock = join(folder, 'held.lock');
    const holder = await holdLock(lock);
    const run = ensureDeps(lock);
    await stderrSays(run, 'waiting for another install');
    // It cannot get past flock while the holder runs: still running, whatever the machine's speed.
    expect(run.child.exitCode).toBeNull();
    holder.release();
    expect(await run.exited).toBe(0);
  }, 120_000);

  it('is not kept out by a holder killed with -9', async () => {
    const lock = join(folder, 'killed.lock');
    const holder = await holdLock(lock);
    const exited = new Promise((resolve) => holder.child.once('exit', resolve));
    killGroup(holder.child);
    await exited;
    // Its `sh` dies with it; wait until the kernel has let go of the lock in both.
    while (spawnSync('flock', ['-n', lock, 'true']).status !== 0) await new Promise((resolve) => setTimeout(resolve, 20));
    const run = ensureDeps(lock);
    expect(await run.exited).toBe(0);
    expect(run.stderr()).not.toContain('waiting for another install');
  }, 120_000);
});
