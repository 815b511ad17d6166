// The write service's view of its journal cursor's flushes: a removal that timed out makes the
// journal check fail and is counted; the error line comes once per overdue spell, however many
// retries time out in it; a confirmed removal ends the spell.
import { pino } from 'pino';
import { Registry } from 'prom-client';
import { describe, expect, it } from 'vitest';
import { FlushTimeoutError } from '../../../lib/journal/flush-time-limit.js';
import { watchCursorFlushes } from '../cursor-flush-watch.js';
import { createManualClock } from './manual-clock.js';

function setup() {
  const lines: { level: number; msg: string; overdueMs?: number }[] = [];
  const log = pino({ level: 'info' }, { write: (line: string) => lines.push(JSON.parse(line) as (typeof lines)[number]) });
  const registry = new Registry();
  const clock = createManualClock();
  const watch = watchCursorFlushes({ registry, log, clock });
  const timeouts = async () => (await registry.getSingleMetric('em_write_journal_flush_timeouts_total')?.get())?.values[0]?.value;
  return { lines, clock, watch, timeouts };
}

const timedOut = () => new FlushTimeoutError('journal removal', 50);

describe('cursor flush watch', () => {
  it('when removals time out on the cursor flush, then each is counted, one error is logged, and the journal check fails naming the flush until a removal is confirmed', async () => {
    const t = setup();
    expect(() => t.watch.assertConfirmed()).not.toThrow();
    t.watch.confirmed(); // nothing overdue: nothing to say

    t.watch.overdue(timedOut());
    await t.clock.advance(1_000);
    t.watch.overdue(timedOut());
    expect(await t.timeouts()).toBe(2);
    expect(() => t.watch.assertConfirmed()).toThrow(
      'a journal cursor flush is overdue (journal removal: the disk did not confirm a flush within 50 ms); removals are retried until the disk confirms one',
    );
    expect(t.lines).toEqual([expect.objectContaining({ level: 50, msg: expect.stringMatching(/^the journal's disk did not confirm a cursor flush in 50 ms: /) as string })]);

    await t.clock.advance(500);
    t.watch.confirmed();
    expect(() => t.watch.assertConfirmed()).not.toThrow();
    expect(t.lines[1]).toEqual(expect.objectContaining({ level: 30, overdueMs: 1_500, msg: 'the journal cursor flush is confirmed again: the cursor advances' }));
  });

  it('when a cursor flush is overdue again after one was confirmed, then it is logged again', () => {
    const t = setup();
    t.watch.overdue(timedOut());
    t.watch.confirmed();
    t.watch.overdue(timedOut());
    expect(t.lines.map((line) => line.level)).toEqual([50, 30, 50]);
    expect(() => t.watch.assertConfirmed()).toThrow(/cursor flush is overdue/);
  });
});
