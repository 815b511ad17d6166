// Late data the write service marked (services/write/late-hour-marks.ts): its hours are folded into
// the rollups within moments, without waiting for the periodic reconciliation, which this fixture
// runs only once an hour. An unmarked late hour shows that the marks, not a pass, did it.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { BatchEntry } from '../../write/batch-assembler.js';
import { lateHourMarks } from '../../write/late-hour-marks.js';
import { floorTo, HOUR_MS, MINUTE_MS } from '../domain/durations.js';
import { startReadFixture, type ReadFixture } from './support/read-fixture.js';

const H = 'h-late-marks';
let f: ReadFixture;

beforeAll(async () => {
  f = await startReadFixture({ env: { EM_READ_RECONCILE_INTERVAL_MS: '3600000', EM_READ_LATE_MARKS_POLL_MS: '100' } });
  await f.service.retentionReady();
});

afterAll(async () => {
  await f?.close();
});

const rolledUp = async (rollup: string, device: string): Promise<number> => {
  const series = await f.influx.query(`SELECT sum("count") FROM "${rollup}"."reading" WHERE household='${H}' AND device='${device}'`);
  return Number(series[0]?.values[0]?.[1] ?? 0);
};

/** 30 power readings of `device`, every 10 s from `startMs`, as the write service stores them, and its mark when written at `markedAtMs`. */
async function writeReadings(device: string, startMs: number, markedAtMs?: number): Promise<void> {
  const times = Array.from({ length: 30 }, (_, i) => startMs + i * 10_000);
  await f.influx.write(times.map((t) => `reading,agent=a1,device=${device},household=${H},quantity=power_w value=500 ${t}`));
  if (markedAtMs === undefined) return;
  const entry: BatchEntry = { key: 1, lineBytes: Buffer.alloc(0), lineCount: 30, createdAtMs: startMs, oldestReadingMs: times[0] ?? startMs, newestReadingMs: times[29] ?? startMs, container: new Uint8Array(0) };
  const marks = lateHourMarks([entry], markedAtMs);
  await f.influx.write(marks?.body.split('\n') ?? []);
}

async function until(condition: () => Promise<boolean>, what: () => Promise<string>): Promise<void> {
  const deadline = Date.now() + 20_000;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error(await what());
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

describe('late data the write service marked', () => {
  it('when three-day-old readings arrive with their mark, then both rollups hold them within moments; unmarked ones wait for the periodic pass', async () => {
    const marked = floorTo(Date.now() - 3 * 86_400_000, HOUR_MS) + 10 * MINUTE_MS;
    await writeReadings('unmarked', marked - 5 * HOUR_MS);
    await writeReadings('marked', marked, Date.now());
    await until(
      async () => (await rolledUp('rollup_1m', 'marked')) === 30 && (await rolledUp('rollup_1h', 'marked')) === 30,
      async () => `rollups hold ${await rolledUp('rollup_1m', 'marked')} (1 min) and ${await rolledUp('rollup_1h', 'marked')} (1 h) of 30 marked points`,
    );
    expect(await rolledUp('rollup_1m', 'unmarked')).toBe(0);
    expect(await rolledUp('rollup_1h', 'unmarked')).toBe(0);
  });

  it('when readings of the last half hour arrive late with their mark, then the 1-minute rollup holds them, the current hour included', async () => {
    // The service's clock 50 minutes into an hour ahead of InfluxDB's, so the readings lie in the
    // service's current hour and outside the continuous query's window, which runs on InfluxDB's clock.
    const nowMs = floorTo(Date.now() + 2 * HOUR_MS, HOUR_MS) + 50 * MINUTE_MS;
    f.setNow(nowMs);
    await writeReadings('recent', nowMs - 30 * MINUTE_MS, nowMs);
    await until(
      async () => (await rolledUp('rollup_1m', 'recent')) === 30,
      async () => `the 1-minute rollup holds ${await rolledUp('rollup_1m', 'recent')} of 30 recent marked points`,
    );
  });
});
