// A journal flush the disk does not confirm, as the broker sees it: an error line naming the
// limit, em_broker_journal_flush_timeouts_total, the journal's readiness check failing, and one
// call to stop the broker. The journal is real (LMDB in a temp folder); its flush never settles.
import { pino } from 'pino';
import { Registry } from 'prom-client';
import { afterAll, describe, expect, it } from 'vitest';
import { openLmdbJournal } from '../../lib/journal/lmdb-journal.js';
import { makeTempDir, type TempDir } from '../../test/support/temp-dir.js';
import { watchJournalFlushes } from '../journal-flush-watch.js';

const dirs: TempDir[] = [];
afterAll(() => dirs.forEach((dir) => dir.remove()));

describe('journal flush watch', () => {
  it('when the disk does not confirm a journal flush within the limit, then the broker logs it, counts it, reports the journal not ready and is told to stop, once', async () => {
    const lines: { level: number; msg: string; entries?: number }[] = [];
    const log = pino({ level: 'info' }, { write: (line: string) => lines.push(JSON.parse(line) as (typeof lines)[number]) });
    const registry = new Registry();
    const stops: Error[] = [];
    const watch = watchJournalFlushes({ registry, log, onUnconfirmed: (err) => stops.push(err) });
    const dir = makeTempDir('journal-flush-watch');
    dirs.push(dir);
    let answer = (): void => undefined;
    const journal = await openLmdbJournal(dir.join('journal'), 'appender', {
      flushTimeoutMs: 50,
      flushed: () => new Promise<void>((resolve) => (answer = resolve)),
      onFlushOverdue: watch.overdue,
    });
    expect(() => watch.assertConfirmed()).not.toThrow();

    await Promise.allSettled([journal.appendContainer(Uint8Array.of(1)), journal.appendContainer(Uint8Array.of(2))]);
    await expect(journal.appendContainer(Uint8Array.of(3))).rejects.toThrow(/did not confirm a flush within 50 ms/);

    expect(lines.filter((line) => line.level >= 50)).toEqual([
      expect.objectContaining({ entries: 2, msg: expect.stringMatching(/^the journal's disk did not confirm a flush in 50 ms: 2 appends refused/) as string }),
    ]);
    expect(await registry.getSingleMetricAsString('em_broker_journal_flush_timeouts_total')).toMatch(/ 1$/m);
    expect(() => watch.assertConfirmed()).toThrow(/a journal flush was not confirmed by the disk: journal append: the disk did not confirm a flush within 50 ms/);
    expect(stops.map((err) => err.message)).toEqual(['journal append: the disk did not confirm a flush within 50 ms']);
    answer();
    await journal.close();
  });
});
