// Ctrl-C or SIGTERM during `npm run bench:faults`: the run stops every process it started (the
// services it spawned and its detached InfluxDB), removes its temp folder, writes the scenarios
// that completed, and exits 130 / 143; a second signal while it stops does not cut that short.
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { fileURLToPath } from 'node:url';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { isProcessAlive, signal } from '../../../infra/process-tools.js';
import { makeTempDir, type TempDir } from '../../../test/support/temp-dir.js';

const repoRoot = fileURLToPath(new URL('../../..', import.meta.url));
const tiny = ['--agents', '2', '--interval-ms', '1000', '--outage-s', '2'];

/** Live processes whose command line or environment names `dir`: influxd's -config, the services' EM_* paths. */
function processesUsing(dir: string): number[] {
  const pids: number[] = [];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    const names = ['cmdline', 'environ'].some((file) => {
      try {
        return readFileSync(`/proc/${entry}/${file}`, 'latin1').includes(dir);
      } catch {
        return false; // gone, or not ours to read
      }
    });
    if (names) pids.push(Number(entry));
  }
  return pids;
}

async function alive(pids: readonly number[]): Promise<number[]> {
  const live = await Promise.all(pids.map((pid) => isProcessAlive(pid)));
  return pids.filter((_, i) => live[i]);
}

interface BenchRun {
  readonly child: ChildProcess;
  output(): string;
  /** Resolves once the output matches; rejects if the run exits first. */
  waitFor(pattern: RegExp): Promise<void>;
  readonly exitCode: Promise<number | null>;
}

function startBench(args: readonly string[]): BenchRun {
  const child = spawn(process.execPath, ['--import', 'tsx', 'loadtest/fault-scenarios.ts', ...args], { cwd: repoRoot, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  const listeners = new Set<() => void>();
  for (const stream of [child.stdout, child.stderr]) {
    stream?.on('data', (chunk: Buffer) => {
      output += chunk.toString();
      for (const listener of listeners) listener();
    });
  }
  const exitCode = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  return {
    child,
    output: () => output,
    exitCode,
    waitFor: (pattern) =>
      new Promise((resolve, reject) => {
        const check = (): void => {
          if (!pattern.test(output)) return;
          listeners.delete(check);
          resolve();
        };
        listeners.add(check);
        check();
        void exitCode.then((code) => reject(new Error(`bench:faults exited (${code}) before printing ${pattern}:\n${output}`)));
      }),
  };
}

const printedPids = (text: string): number[] => [...text.matchAll(/ up \(pid (\d+)\)/g)].map((match) => Number(match[1]));
const printedDirs = (text: string): string[] => [...text.matchAll(/logs and data: (\S+)/g)].map((match) => match[1] ?? '');

describe('bench:faults interrupted', () => {
  let work: TempDir;
  let run: BenchRun | undefined;
  beforeEach(() => {
    work = makeTempDir('fault-interrupt');
  });
  // A failed test must not leave a platform behind either.
  afterEach(() => {
    run?.child.kill('SIGKILL');
    for (const dir of printedDirs(run?.output() ?? '')) {
      for (const pid of processesUsing(dir)) signal(pid, 'SIGKILL');
      rmSync(dir, { recursive: true, force: true });
    }
    run = undefined;
    work.remove();
  });

  it('when SIGINT arrives with the whole platform up, then it stops every process, removes its folder and exits 130', async () => {
    const report = work.join('report.json');
    // A long load, so the scenario is still in its steady phase when the signal comes.
    run = startBench(['--scenario', 'broker-kill', ...tiny, '--load-s', '30', '--report', report]);
    await run.waitFor(/fleet up \(pid \d+\)/);
    const [dir = ''] = printedDirs(run.output());
    const pids = printedPids(run.output());
    expect(pids).toHaveLength(4); // influxd, broker, write, fleet
    expect(processesUsing(dir)).toEqual(expect.arrayContaining(pids));

    run.child.kill('SIGINT');
    expect(await run.exitCode).toBe(130);

    expect(run.output()).toMatch(/bench:faults: interrupted by SIGINT during broker-kill .*; completed: none\n/);
    expect(await alive(pids)).toEqual([]);
    expect(await alive(processesUsing(dir))).toEqual([]);
    expect(existsSync(dir)).toBe(false);
    expect(existsSync(report)).toBe(false);
  }, 120_000);

  it('when SIGTERM comes twice while the second scenario starts its services, then it still stops them all, writes the first result and exits 143', async () => {
    const report = work.join('report.json');
    run = startBench(['--scenario', 'broker-kill', '--scenario', 'write-kill', ...tiny, '--load-s', '3', '--report', report]);
    // InfluxDB up, the broker starting: stopping waits for that start to finish, then stops it.
    await run.waitFor(/== write-kill[\s\S]*influxd up/);
    run.child.kill('SIGTERM');
    await new Promise((resolve) => setTimeout(resolve, 200));
    run.child.kill('SIGTERM');
    expect(await run.exitCode).toBe(143);

    const output = run.output();
    const interrupted = output.slice(output.indexOf('== write-kill'));
    expect(interrupted).toContain('SIGTERM again: still stopping…');
    expect(interrupted).toMatch(/broker up \(pid \d+\)/); // the start under way at the signal
    expect(output).toMatch(/bench:faults: interrupted by SIGTERM during write-kill .*; completed: broker-kill \((PASS|FAIL)\)\n/);
    const written = JSON.parse(readFileSync(report, 'utf8')) as { machine: { cpus: number }; results: { scenario: string }[] };
    expect(written.results.map((result) => result.scenario)).toEqual(['broker-kill']);
    expect(written.machine.cpus).toBe(availableParallelism());

    const [first = '', second = ''] = printedDirs(output);
    expect(await alive(printedPids(output))).toEqual([]);
    expect(await alive([...processesUsing(first), ...processesUsing(second)])).toEqual([]);
    expect(existsSync(second)).toBe(false);
  }, 180_000);
});
