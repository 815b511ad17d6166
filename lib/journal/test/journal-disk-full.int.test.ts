// A journal whose disk fills up, in a real process: the append that does not fit is refused to its
// caller (the broker then sends no PUBACK), and the process lives on. lmdb-js leaves promises of a
// failed commit without a handler (lmdb-commit-failures.ts); under Node's default they ended the
// process, so a full disk stopped the broker instead of refusing PUBACKs (docs/guarantees.md).
// The "disk" is a file-size limit (ulimit -f) on the child: no mount needed.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runUnderFileSizeLimit, type ScriptRun } from '../../../test/support/under-file-size-limit.js';

const folders: string[] = [];
afterAll(() => folders.forEach((f) => rmSync(f, { recursive: true, force: true })));

const FLUSH_TIMEOUT_MS = 500;
const fillJournal = (path: string, limitKiB: number): Promise<ScriptRun> =>
  runUnderFileSizeLimit('lib/journal/test/fixtures/fill-journal.ts', [path, String(FLUSH_TIMEOUT_MS)], limitKiB);

describe('journal on a full disk', () => {
  it('when an append no longer fits on the disk, then it is refused to its caller and the process keeps running', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'em-journal-full-'));
    folders.push(dir);
    const { code, stdout, stderr } = await fillJournal(join(dir, 'journal'), 1024);
    expect({ code, stderr: code === 0 ? '' : stderr }).toEqual({ code: 0, stderr: '' });
    const result = JSON.parse(stdout) as { appended: number; refused: number; depthEntries: number; closed: string };
    expect(result.refused).toBeGreaterThan(0);
    expect(result.appended).toBeGreaterThan(0);
    // What was acknowledged is all there, and nothing refused was counted.
    expect(result.depthEntries).toBe(result.appended);
  });

  it('when the journal is closed while the disk is still full, then close ends within the flush time limit, saying which flush was never confirmed', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'em-journal-full-'));
    folders.push(dir);
    const { code, stdout, stderr } = await fillJournal(join(dir, 'journal'), 1024);
    // Before the limit, lmdb-js's close() waited for the failed commit's flush, which it never
    // settles: here Node found nothing left to do and exited 13 (a top-level await never settled);
    // in the broker, stop() hung until npm start's supervisor killed it.
    expect({ code, stderr: code === 0 ? '' : stderr }).toEqual({ code: 0, stderr: '' });
    const { closed } = JSON.parse(stdout) as { closed: string };
    expect(closed).toMatch(
      new RegExp(`^journal close: the disk did not confirm a flush within ${FLUSH_TIMEOUT_MS} ms \\(lmdb-js still waits for the flush of the last journal append, which failed: Commit failed`),
    );
  });
});
