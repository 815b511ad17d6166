// A disk that does not confirm a flush: the journal's appends and removals fail with
// FlushTimeoutError after the limit instead of waiting forever, and after an append's flush went
// unconfirmed the handle confirms no append again (flush-time-limit.ts, lmdb-journal.ts). The
// journal is real (LMDB in a temp folder); only the flush it waits for is one that never settles.
import { afterAll, describe, expect, it } from 'vitest';
import { stalledDisk } from '../../../test/support/stalled-disk.js';
import { makeTempDir, type TempDir } from '../../../test/support/temp-dir.js';
import { FlushTimeoutError } from '../flush-time-limit.js';
import { openLmdbJournal, type FlushOverdue, type LmdbJournalOptions } from '../lmdb-journal.js';

const dirs: TempDir[] = [];
afterAll(() => dirs.forEach((dir) => dir.remove()));

async function openStalled(options: LmdbJournalOptions, role: 'appender' | 'both' = 'appender') {
  const dir = makeTempDir('journal-flush');
  dirs.push(dir);
  return openLmdbJournal(dir.join('journal'), role, { flushTimeoutMs: 50, ...options });
}

describe('LMDB journal: a flush the disk does not confirm', () => {
  it('when the disk does not confirm a group commit within the limit, then each of its appends fails with FlushTimeoutError and the overdue flush is reported once', async () => {
    const disk = stalledDisk();
    const overdue: FlushOverdue[] = [];
    const journal = await openStalled({ flushed: disk.flushed, onFlushOverdue: (o) => overdue.push(o) });
    const outcomes = await Promise.allSettled([1, 2, 3].map((i) => journal.appendContainer(Uint8Array.of(i))));
    expect(outcomes.map((o) => (o.status === 'rejected' ? (o.reason as Error).name : 'fulfilled'))).toEqual(['FlushTimeoutError', 'FlushTimeoutError', 'FlushTimeoutError']);
    const [first] = outcomes;
    expect(first?.status === 'rejected' && (first.reason as FlushTimeoutError).message).toBe('journal append: the disk did not confirm a flush within 50 ms');
    expect(overdue).toEqual([{ entries: 3, timeoutMs: 50, error: expect.any(FlushTimeoutError) as FlushTimeoutError }]);
    disk.answer();
    await journal.close();
  });

  it('when an append flush went unconfirmed, then later appends are refused at once, even once the disk answers again (an fsync that failed or hung proves nothing it reports later)', async () => {
    const disk = stalledDisk();
    const journal = await openStalled({ flushed: disk.flushed });
    await expect(journal.appendContainer(Uint8Array.of(1))).rejects.toThrow(FlushTimeoutError);
    disk.answer();
    await expect(journal.appendContainer(Uint8Array.of(2))).rejects.toThrow(/journal append: the disk did not confirm a flush within 50 ms/);
    await expect(journal.trimConsumed(10)).rejects.toThrow(FlushTimeoutError);
    await journal.close();
  });

  it('when the consumer cursor flush is not confirmed within the limit, then removing fails with FlushTimeoutError, and succeeds again once the disk answers', async () => {
    const disk = stalledDisk();
    const journal = await openStalled({ flushed: disk.flushed }, 'both');
    disk.answer();
    const keys = [await journal.appendContainer(Uint8Array.of(1)), await journal.appendContainer(Uint8Array.of(2))];
    disk.stall();
    await expect(journal.removeContainers(keys.slice(0, 1))).rejects.toThrow(/journal removal: the disk did not confirm a flush within 50 ms/);
    disk.answer();
    await journal.removeContainers(keys.slice(1));
    expect(journal.depth().entries).toBe(0);
    await journal.close();
  });

  it('when a removal timed out on the cursor flush, then removing the same keys again writes the cursor again and waits for the disk: a retry is confirmed only by a flush', async () => {
    const disk = stalledDisk();
    const journal = await openStalled({ flushed: disk.flushed }, 'both');
    disk.answer();
    const key = await journal.appendContainer(Uint8Array.of(1));
    disk.stall();
    await expect(journal.removeContainers([key])).rejects.toThrow(/journal removal: the disk did not confirm a flush within 50 ms/);
    await expect(journal.removeContainers([key])).rejects.toThrow(/journal removal: the disk did not confirm a flush within 50 ms/);
    disk.answer();
    await journal.removeContainers([key]);
    disk.stall();
    await journal.removeContainers([key]); // once confirmed, a replayed removal writes nothing and waits for nothing
    disk.answer();
    expect(journal.depth().entries).toBe(0);
    await journal.close();
  });
});
