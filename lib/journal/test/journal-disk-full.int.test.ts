// A journal whose disk fills up, in a real process: the append that does not fit is refused to its
// caller (the broker then sends no PUBACK), and the process lives on. lmdb-js leaves promises of a
// failed commit without a handler (lmdb-commit-failures.ts); under Node's default they ended the
// process, so a full disk stopped the broker instead of refusing PUBACKs (docs/guarantees.md).
// The "disk" is a file-size limit (ulimit -f) on the child: no mount needed.
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';

const repoRoot = fileURLToPath(new URL('../../..', import.meta.url));
const folders: string[] = [];
afterAll(() => folders.forEach((f) => rmSync(f, { recursive: true, force: true })));

/** Runs fill-journal.ts with files capped at `limitKiB`; its exit code, stdout and stderr. */
function fillJournal(path: string, limitKiB: number): Promise<{ code: number | null; stdout: string; stderr: string }> {
  const child = spawn('bash', ['-c', `ulimit -f ${limitKiB}; exec "$0" "$@"`, process.execPath, '--import', 'tsx', 'lib/journal/test/fixtures/fill-journal.ts', path], {
    cwd: repoRoot,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString('utf8')));
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString('utf8')));
  return new Promise((resolve) => child.once('exit', (code) => resolve({ code, stdout, stderr })));
}

describe('journal on a full disk', () => {
  it('when an append no longer fits on the disk, then it is refused to its caller and the process keeps running', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'em-journal-full-'));
    folders.push(dir);
    const { code, stdout, stderr } = await fillJournal(join(dir, 'journal'), 1024);
    expect({ code, stderr: code === 0 ? '' : stderr }).toEqual({ code: 0, stderr: '' });
    const result = JSON.parse(stdout) as { appended: number; refused: number; depthEntries: number };
    expect(result.refused).toBeGreaterThan(0);
    expect(result.appended).toBeGreaterThan(0);
    // What was acknowledged is all there, and nothing refused was counted.
    expect(result.depthEntries).toBe(result.appended);
  });
});
