// An SD card that does not confirm a flush: the outbox's append fails with FlushTimeoutError after
// the limit instead of waiting forever, the overdue flush is reported once, the outbox seals
// nothing more, and a container whose flush was not confirmed is never offered for publishing
// (outbox.ts, lib/journal/flush-guard.ts). The outbox is real (LMDB in a temp folder); only the flush
// it waits for is one that never settles.
import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { FlushTimeoutError } from '../../lib/journal/flush-time-limit.js';
import { stalledDisk } from '../../test/support/stalled-disk.js';
import { makeTempDir, type TempDir } from '../../test/support/temp-dir.js';
import { openOutboxStore, type ContainerDraft, type OutboxFlushOverdue, type OutboxOptions } from '../outbox.js';
import { holdWriter, type HeldWriter } from './held-writer.js';

const dirs: TempDir[] = [];
afterAll(() => dirs.forEach((dir) => dir.remove()));

const LIMIT_MS = 200;

function openStalled(options: OutboxOptions) {
  const dir = makeTempDir('outbox-flush');
  dirs.push(dir);
  return openOutboxStore(dir.join('outbox.mdb'), { flushTimeoutMs: LIMIT_MS, ...options });
}

const draft = (agentId: string, atMs: number): ContainerDraft => ({
  householdId: 'h-1',
  agentId,
  createdAtMs: atMs,
  measurements: [{ deviceId: 'fridge', quantity: 'power_w', value: 90, timestampMs: atMs }],
});

describe('outbox: a flush the SD card does not confirm', () => {
  it('when the disk does not confirm an append flush within the limit, then the append fails with FlushTimeoutError and the overdue flush is reported once', async () => {
    const disk = stalledDisk();
    const overdue: OutboxFlushOverdue[] = [];
    const store = openStalled({ flushed: disk.flushed, onFlushOverdue: (o) => overdue.push(o) });
    // Two agents of one environment (a fleet): both wait on the same flush.
    const outcomes = await Promise.allSettled([store.forAgent('a-1').append(draft('a-1', 1000)), store.forAgent('a-2').append(draft('a-2', 1000))]);
    expect(outcomes.map((o) => (o.status === 'rejected' ? (o.reason as Error).name : 'fulfilled'))).toEqual(['FlushTimeoutError', 'FlushTimeoutError']);
    const [first] = outcomes;
    expect(first?.status === 'rejected' && (first.reason as Error).message).toBe(`outbox append: the disk did not confirm a flush within ${LIMIT_MS} ms (agent a-1, seq 1)`);
    expect(overdue).toEqual([{ agentId: 'a-1', seq: 1, timeoutMs: LIMIT_MS, error: expect.any(FlushTimeoutError) as FlushTimeoutError }]);
    await store.close(); // ends: it does not wait for the flush that never came
    disk.answer();
  });

  it('when an append flush went unconfirmed, then later appends are refused at once, even once the disk answers again, and use no seq', async () => {
    const disk = stalledDisk();
    const store = openStalled({ flushed: disk.flushed });
    const outbox = store.forAgent('a-1');
    await expect(outbox.append(draft('a-1', 1000))).rejects.toThrow(FlushTimeoutError);
    disk.answer();
    await expect(outbox.append(draft('a-1', 2000))).rejects.toThrow(`outbox append: the disk did not confirm a flush within ${LIMIT_MS} ms (agent a-1, seq 1)`);
    await expect(store.forAgent('a-2').append(draft('a-2', 2000))).rejects.toThrow(FlushTimeoutError);
    // seq 1 is neither confirmed nor free in this process: the next process finds out from the disk.
    expect(outbox.nextSeq()).toBe(2);
    await store.close();
  });

  it('when an append flush is not confirmed, then its container is never offered for publishing, though LMDB committed it', async () => {
    const disk = stalledDisk();
    const store = openStalled({ flushed: disk.flushed });
    const outbox = store.forAgent('a-1');
    disk.answer();
    await outbox.append(draft('a-1', 1000));
    disk.stall();
    const asked = disk.asked();
    const settled = outbox.append(draft('a-1', 2000)).then(
      () => 'sealed',
      (err: unknown) => err,
    );
    // Committed and visible to readers, its flush still pending: the pump must not see it.
    await asked;
    expect(outbox.peek({ afterSeq: 0, limit: 10 }).map((entry) => entry.seq)).toEqual([1]);
    expect(await settled).toBeInstanceOf(FlushTimeoutError);
    expect(outbox.peek({ afterSeq: 0, limit: 10 }).map((entry) => entry.seq)).toEqual([1]);
    await store.close();
  });

  it('when the disk confirms the flush in time, then the append resolves and its container is offered', async () => {
    const disk = stalledDisk();
    const store = openStalled({ flushed: disk.flushed });
    const outbox = store.forAgent('a-1');
    const asked = disk.asked();
    const appending = outbox.append(draft('a-1', 1000));
    await asked;
    disk.answer();
    await expect(appending).resolves.toMatchObject({ seq: 1 });
    expect(outbox.peek({ afterSeq: 0, limit: 10 }).map((entry) => entry.seq)).toEqual([1]);
    await store.close();
  });
});

// A removal (on a PUBACK) waits for its commit, which lmdb-js settles only once the commit's
// fdatasync returned and only after the commits before it; it does not wait on `flushed`, so the
// stalled disk above does not hold it. Here another thread holds LMDB's writer lock, which stalls
// the removal's commit as a hung sync does. The guard bounds that wait (FlushTimeoutError) but,
// unlike an append's, a removal's time-out does not end appending and is not reported as an
// overdue flush: the pump logs it and the entry is sent again (outbox-pump.ts; same seq, harmless).
describe('outbox: a removal whose commit the disk does not confirm', () => {
  const writers: HeldWriter[] = [];
  afterEach(async () => {
    for (const writer of writers.splice(0)) await writer.release();
  });

  async function withEntry(options: OutboxOptions) {
    const dir = makeTempDir('outbox-removal');
    dirs.push(dir);
    const path = dir.join('outbox.mdb');
    const store = openOutboxStore(path, options);
    const outbox = store.forAgent('a-1');
    await outbox.append(draft('a-1', 1000));
    const writer = await holdWriter(path);
    writers.push(writer);
    return { path, store, outbox, writer };
  }

  it('when a removal\'s commit is not confirmed within the limit, then the removal fails with FlushTimeoutError, no overdue flush is reported, the entry stays, and a later append is sealed once the disk goes on', async () => {
    const overdue: OutboxFlushOverdue[] = [];
    const { store, outbox, writer } = await withEntry({ flushTimeoutMs: LIMIT_MS, onFlushOverdue: (o) => overdue.push(o) });
    const removal = outbox.remove(1).then(
      (removed) => ({ removed }),
      (err: unknown) => err,
    );
    // Without the limit the removal would wait as long as the writer does: 5 limits stand for "forever".
    const outcome = await Promise.race([removal, sleep(5 * LIMIT_MS).then(() => 'still waiting')]);
    expect(outcome).toBeInstanceOf(FlushTimeoutError);
    expect((outcome as FlushTimeoutError).message).toBe(`outbox removal: the disk did not confirm a flush within ${LIMIT_MS} ms`);
    expect(overdue).toEqual([]);
    expect(outbox.depth()).toBe(1);
    expect(outbox.peek({ afterSeq: 0, limit: 10 }).map((entry) => entry.seq)).toEqual([1]);
    // Not refused at once, as after an append's time-out: it waits for the disk like any seal.
    const appending = outbox.append(draft('a-1', 2000));
    await writer.release();
    await expect(appending).resolves.toMatchObject({ seq: 2 });
    expect(overdue).toEqual([]);
    // The removal's commit went through late, before the append's: the entry is gone after all,
    // and removing it again (its PUBACK after the resend) is no error.
    expect(outbox.peek({ afterSeq: 0, limit: 10 }).map((entry) => entry.seq)).toEqual([2]);
    expect(outbox.depth()).toBe(1);
    await expect(outbox.remove(1)).resolves.toBe(false);
    await store.close();
  });

  it('when the removal\'s commit is confirmed within the limit, then the removal resolves true and the entry is gone, after a restart too', async () => {
    const { path, store, outbox, writer } = await withEntry({ flushTimeoutMs: 20 * LIMIT_MS });
    let settled = false;
    const removal = outbox.remove(1).finally(() => (settled = true));
    await sleep(LIMIT_MS); // it waits for the writer, well within its limit
    expect(settled).toBe(false);
    await writer.release();
    await expect(removal).resolves.toBe(true);
    expect(outbox.depth()).toBe(0);
    expect(outbox.peek({ afterSeq: 0, limit: 10 })).toEqual([]);
    await store.close();
    const reopened = openOutboxStore(path);
    expect(reopened.forAgent('a-1').depth()).toBe(0);
    await reopened.close();
  });
});
