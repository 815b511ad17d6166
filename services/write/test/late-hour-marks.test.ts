import { describe, expect, it } from 'vitest';
import type { BatchEntry } from '../batch-assembler.js';
import { LATE_AFTER_MS, lateHourMarks } from '../late-hour-marks.js';

const HOUR = 3_600_000;
const NOW = Date.parse('2026-11-25T12:30:00Z');

function entry(oldestReadingMs: number, newestReadingMs = oldestReadingMs): BatchEntry {
  return { key: 1, lineBytes: Buffer.alloc(0), lineCount: 1, createdAtMs: newestReadingMs, oldestReadingMs, newestReadingMs, container: new Uint8Array(0) };
}

describe('late-hour marks', () => {
  it('when every reading is newer than the continuous queries still look back, then nothing is marked', () => {
    expect(lateHourMarks([entry(NOW - LATE_AFTER_MS + 1), entry(NOW)], NOW)).toBeUndefined();
  });

  it('when containers hold readings from earlier hours, then each such hour is marked once, with how many containers touched it, stamped with the write time', () => {
    const threeDaysAgo = Date.parse('2026-11-22T07:15:00Z');
    const marks = lateHourMarks([entry(threeDaysAgo), entry(threeDaysAgo + 60_000), entry(Date.parse('2026-11-25T09:59:59Z')), entry(NOW)], NOW);
    expect(marks?.body.split('\n')).toEqual([
      `late_hour,hour=${Date.parse('2026-11-22T07:00:00Z')} containers=2i ${NOW}`,
      `late_hour,hour=${Date.parse('2026-11-25T09:00:00Z')} containers=1i ${NOW}`,
    ]);
    expect(marks?.lineCount).toBe(2);
  });

  it('when a container spans hours, then every hour up to the late edge is marked, and a container without readings marks nothing', () => {
    const marks = lateHourMarks([entry(Date.parse('2026-11-25T10:50:00Z'), NOW), entry(-1)], NOW);
    expect(marks?.body.split('\n').map((line) => Number(/hour=(\d+)/.exec(line)?.[1]))).toEqual([10, 11, 12].map((h) => Date.parse(`2026-11-25T${h}:00:00Z`)));
  });

  it('when a container spans more than two days (a clock set wrong), then only its newest 48 hours are marked', () => {
    const marks = lateHourMarks([entry(NOW - 30 * 24 * HOUR, NOW - 2 * HOUR)], NOW);
    expect(marks?.lineCount).toBe(48);
  });
});
