import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { pino } from 'pino';
import { startJournalTrimmer } from '../journal-trimmer.js';

const log = pino({ level: 'silent' });

describe('journal trimmer', () => {
  beforeEach(() => vi.useFakeTimers());
  afterEach(() => vi.useRealTimers());

  it('when a pass trims a full batch, then the next pass runs at once until the backlog is gone', async () => {
    const backlog = [1000, 1000, 300, 0];
    const trimConsumed = vi.fn((max: number) => Promise.resolve(Math.min(max, backlog.shift() ?? 0)));
    const trimmer = startJournalTrimmer({ trimConsumed }, log, { intervalMs: 100, batchEntries: 1000 });
    expect(trimConsumed).not.toHaveBeenCalled();
    await vi.advanceTimersByTimeAsync(100);
    for (let i = 0; i < 3; i++) await vi.advanceTimersByTimeAsync(1);
    expect(trimConsumed).toHaveBeenCalledTimes(3); // 1000, 1000 (full: again at once), 300
    await vi.advanceTimersByTimeAsync(90);
    expect(trimConsumed).toHaveBeenCalledTimes(3); // 300 < batch: wait the interval
    await vi.advanceTimersByTimeAsync(10);
    expect(trimConsumed).toHaveBeenCalledTimes(4);
    await trimmer.stop();
    await vi.advanceTimersByTimeAsync(1000);
    expect(trimConsumed).toHaveBeenCalledTimes(4);
  });

  it('when trimming fails, then it backs off and tries again rather than stopping', async () => {
    const trimConsumed = vi.fn().mockRejectedValueOnce(new Error('MDB_BAD_TXN')).mockResolvedValue(0);
    const trimmer = startJournalTrimmer({ trimConsumed }, log, { intervalMs: 10, batchEntries: 5 });
    await vi.advanceTimersByTimeAsync(10);
    expect(trimConsumed).toHaveBeenCalledTimes(1);
    await vi.advanceTimersByTimeAsync(99);
    expect(trimConsumed).toHaveBeenCalledTimes(1);
    await vi.advanceTimersByTimeAsync(1);
    expect(trimConsumed).toHaveBeenCalledTimes(2);
    await trimmer.stop();
  });
});
