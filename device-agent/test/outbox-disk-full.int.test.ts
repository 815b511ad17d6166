// An agent's outbox whose SD card fills up, in a real process (the "disk" is a file-size limit,
// ulimit -f, on the child: no mount needed). A refused seal must leave the outbox's count of its
// entries as it was: the count is em_agent_outbox_depth, and the cap drops the oldest entries by it.
// A removal whose commit fails there is counted (em_agent_outbox_removal_failures_total).
import { afterAll, describe, expect, it } from 'vitest';
import { makeTempDir, type TempDir } from '../../test/support/temp-dir.js';
import { runUnderFileSizeLimit, type ScriptRun } from '../../test/support/under-file-size-limit.js';
import { openOutboxStore } from '../outbox.js';

const dirs: TempDir[] = [];
afterAll(() => dirs.forEach((dir) => void dir.remove()));

const FLUSH_TIMEOUT_MS = 500;
const fillOutbox = (path: string, limitKiB: number): Promise<ScriptRun> =>
  runUnderFileSizeLimit('device-agent/test/fixtures/fill-outbox.ts', [path, String(FLUSH_TIMEOUT_MS)], limitKiB);
const removeOnFullOutbox = (path: string, limitKiB: number): Promise<ScriptRun> =>
  runUnderFileSizeLimit('device-agent/test/fixtures/remove-on-full-outbox.ts', [path, String(FLUSH_TIMEOUT_MS)], limitKiB);

describe('outbox on a full disk', () => {
  it('when seals are refused for lack of space, then the outbox still counts exactly the entries it holds', async () => {
    const dir = makeTempDir('outbox-full');
    dirs.push(dir);
    const { code, stdout, stderr } = await fillOutbox(dir.join('outbox.mdb'), 1024);
    expect({ code, stderr: code === 0 ? '' : stderr }).toEqual({ code: 0, stderr: '' });
    const result = JSON.parse(stdout) as { appended: number; refused: number; depth: number };
    expect(result.appended).toBeGreaterThan(0);
    expect(result.refused).toBe(5);
    const store = openOutboxStore(dir.join('outbox.mdb'));
    try {
      const stored = store.forAgent('a-1').depth(); // counted from disk at open
      expect(stored).toBe(result.appended);
      expect(result.depth).toBe(stored);
    } finally {
      await store.close();
    }
  });

  it('when seals are refused for lack of space, then they use no seq: downstream a gap means a container lost', async () => {
    const dir = makeTempDir('outbox-full-seq');
    dirs.push(dir);
    const { code, stdout, stderr } = await fillOutbox(dir.join('outbox.mdb'), 1024);
    expect({ code, stderr: code === 0 ? '' : stderr }).toEqual({ code: 0, stderr: '' });
    const result = JSON.parse(stdout) as { appended: number; nextSeq: number };
    expect(result.nextSeq).toBe(result.appended + 1);
    const store = openOutboxStore(dir.join('outbox.mdb'));
    try {
      const seqs = store.forAgent('a-1').peek({ afterSeq: 0, limit: result.appended + 10 }).map((entry) => entry.seq);
      expect(seqs).toEqual(Array.from({ length: result.appended }, (_, i) => i + 1));
    } finally {
      await store.close();
    }
  });

  it('when the outbox is closed while the card is still full, then close ends within the flush time limit, saying which flush was never confirmed', async () => {
    const dir = makeTempDir('outbox-full-close');
    dirs.push(dir);
    const { code, stdout, stderr } = await fillOutbox(dir.join('outbox.mdb'), 1024);
    // lmdb-js's close() waits for the flush of the failed commit, which it never settles: without
    // the limit Node found nothing left to do and exited 13 (a top-level await never settled); in
    // the agent, stop() hung until systemd killed it.
    expect({ code, stderr: code === 0 ? '' : stderr }).toEqual({ code: 0, stderr: '' });
    const { closed } = JSON.parse(stdout) as { closed: string };
    expect(closed).toMatch(new RegExp(`^outbox close: the disk did not confirm a flush within ${FLUSH_TIMEOUT_MS} ms \\(lmdb-js still waits for the flush of the last commit`));
  });

  it('when a removal\'s commit fails on the full card, then the pump counts it with reason="error", and the entry stays and goes out again on the next connection, where its removal goes through', async () => {
    const dir = makeTempDir('outbox-full-remove');
    dirs.push(dir);
    const { code, stdout, stderr } = await removeOnFullOutbox(dir.join('outbox.mdb'), 1024);
    expect({ code, stderr: code === 0 ? '' : stderr }).toEqual({ code: 0, stderr: '' });
    const result = JSON.parse(stdout) as { appended: number; failures: Record<string, number>; reasons: string[]; keptAfterFailure: boolean; resent: number[]; depthBefore: number; depthAfter: number };
    expect(result.appended).toBeGreaterThan(0);
    // Before, only time-outs were counted: a failed commit was in the log alone.
    expect(result.failures).toEqual({ timeout: 0, error: 1 });
    expect(result.reasons).toEqual(['error']);
    expect(result.keptAfterFailure).toBe(true);
    expect(result.resent).toEqual([1]);
    expect(result.depthAfter).toBe(result.depthBefore - 1);
  });
});
