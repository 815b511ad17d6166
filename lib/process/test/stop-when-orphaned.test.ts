import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, it, vi } from 'vitest';
import { stopWhenOrphaned } from '../stop-when-orphaned.js';

const repoRoot = fileURLToPath(new URL('../../..', import.meta.url));

describe('stopWhenOrphaned', () => {
  it('when the parent pid stays, then nothing happens; when it changes, then onOrphaned runs once', () => {
    vi.useFakeTimers();
    try {
      let parent = 100;
      let orphaned = 0;
      stopWhenOrphaned({ checkEveryMs: 1_000, parentPid: () => parent, onOrphaned: () => orphaned++ });
      vi.advanceTimersByTime(5_000);
      expect(orphaned).toBe(0);
      parent = 1;
      vi.advanceTimersByTime(5_000);
      expect(orphaned).toBe(1);
    } finally {
      vi.useRealTimers();
    }
  });

  it('when the shell that started a process is killed with SIGTERM, then the process notices and stops (npm → sh → node)', async () => {
    // `sh -c 'a; b'` cannot exec its last command, so the shell stays the parent, as under npm.
    const shell = spawn('sh', ['-c', `${process.execPath} --import tsx lib/process/test/fixtures/orphan-aware.ts; true`], { cwd: repoRoot, stdio: ['ignore', 'pipe', 'inherit'] });
    let out = '';
    const up = new Promise<void>((resolve) => shell.stdout.on('data', (chunk: Buffer) => {
      out += chunk.toString('utf8');
      if (out.includes('up')) resolve();
    }));
    // The shell's stdout pipe is the fixture's too: it ends when the fixture exits.
    const fixtureGone = new Promise<void>((resolve) => shell.stdout.on('end', () => resolve()));
    await up;
    shell.kill('SIGTERM');
    await fixtureGone;
    expect(out).toContain('orphaned');
  }, 30_000);
});
