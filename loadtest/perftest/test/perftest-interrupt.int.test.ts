// Ctrl-C during a perftest run: the phase ends early, what it started is stopped, the results are
// still written, and the exit code says it was interrupted (130), as a second Ctrl-C's does.
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { readdirSync } from 'node:fs';
import { afterAll, describe, expect, it } from 'vitest';
import { makeTempDir } from '../../../test/support/temp-dir.js';

describe('perftest interrupted', () => {
  const results = makeTempDir('perftest-interrupt');
  afterAll(() => results.remove());

  it('when SIGINT arrives during the load phase, then it reports, writes its results and exits 130', async () => {
    const args = ['--mode', 'broker-only', '-x', '1', '-r', '10', '-z', '60', '--warmup-s', '0', '--results-dir', results.path];
    const child = spawn(process.execPath, ['--import', 'tsx', 'loadtest/perftest/main.ts', ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    const loadRunning = new Promise<void>((resolve) => {
      child.stdout.on('data', (chunk: Buffer) => {
        stdout += chunk.toString();
        if (/\] +1 s/.test(stdout)) resolve();
      });
    });
    const exited = once(child, 'exit') as Promise<[number | null, NodeJS.Signals | null]>;
    await loadRunning;
    child.kill('SIGINT');
    const [code] = await exited;
    expect(code).toBe(130);
    expect(stdout).toContain('results:');
    expect(readdirSync(results.path).filter((name) => name.endsWith('.json'))).toHaveLength(1);
  }, 60_000);
});
