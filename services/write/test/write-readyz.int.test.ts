// The write service's /readyz: ready while InfluxDB answers /ping and the journal is open;
// 503 naming InfluxDB when it is unreachable (the process itself stays alive: /healthz 200);
// 503 naming the journal while the disk has not confirmed a cursor flush within the limit.
import { pino } from 'pino';
import { afterEach, describe, expect, inject, it } from 'vitest';
import { findFreePort } from '../../../infra/free-port.js';
import { openLmdbJournal } from '../../../lib/journal/lmdb-journal.js';
import { encodeContainer } from '../../../proto/container.js';
import { createTestInfluxDatabase } from '../../../test/support/influx-database.js';
import { stalledDisk } from '../../../test/support/stalled-disk.js';
import { makeTempDir, type TempDir } from '../../../test/support/temp-dir.js';
import { startTestWriteService, type TestWriteService } from '../../../test/support/test-write-service.js';
import { createWriteService } from '../app.js';
import { loadWriteConfig } from '../config.js';
import { makeContainer } from './fakes.js';

let service: TestWriteService | undefined;
let dir: TempDir | undefined;
const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  await service?.stop();
  service = undefined;
  for (const cleanup of cleanups.splice(0)) await cleanup();
  dir?.remove(); // after the cleanups: they close the journals in it
});

async function start(influxUrl: string): Promise<TestWriteService> {
  dir = makeTempDir('write-readyz');
  const db = await createTestInfluxDatabase('readyz');
  cleanups.push(() => db.drop());
  service = await startTestWriteService({
    journalPath: dir.join('journal'),
    deadLetterPath: dir.join('dead-letters'),
    database: db.database,
    influxUrl,
  });
  return service;
}

type ReadyBody = { status: string; checks: { name: string; ok: boolean; reason?: string }[] };

async function until(condition: () => Promise<boolean>, timeoutMs = 20_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

const FLUSH_TIMEOUT_MS = 200;

/** The write service on a real journal whose cursor flushes wait for `disk`; the test appends as the broker. */
async function startOnStalledDisk(disk: ReturnType<typeof stalledDisk>) {
  dir = makeTempDir('write-readyz-flush');
  const db = await createTestInfluxDatabase('readyz_flush');
  const broker = await openLmdbJournal(dir.join('journal'), 'appender');
  const journal = await openLmdbJournal(dir.join('journal'), 'consumer', { flushed: disk.flushed, flushTimeoutMs: FLUSH_TIMEOUT_MS });
  const lines: { level: number; msg: string }[] = [];
  const log = pino({ level: 'info' }, { write: (line: string) => lines.push(JSON.parse(line) as (typeof lines)[number]) });
  const env = { EM_WRITE_INFLUX_URL: inject('influxUrl'), EM_WRITE_INFLUX_DB: db.database, EM_WRITE_JOURNAL_PATH: dir.join('journal') };
  const write = createWriteService(loadWriteConfig({ ...env, EM_WRITE_DEAD_LETTER_PATH: dir.join('dead-letters'), EM_WRITE_METRICS_PORT: '0' }), { log, journal });
  const { metricsPort } = await write.start();
  cleanups.push(async () => {
    disk.answer();
    await write.stop();
    await journal.close();
    await broker.close();
    await db.drop();
  });
  const get = (path: string) => fetch(`http://127.0.0.1:${metricsPort}${path}`);
  return { broker, journal, lines, get };
}

describe('write service readiness', () => {
  it('when InfluxDB answers and the journal is open, then /readyz answers 200', async () => {
    const { metricsPort } = await start(inject('influxUrl'));
    const response = await fetch(`http://127.0.0.1:${metricsPort}/readyz`);
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({
      status: 'ready',
      checks: [
        { name: 'influxdb', ok: true },
        { name: 'journal', ok: true },
      ],
    });
  });

  it('when InfluxDB is unreachable, then /readyz answers 503 naming it, /healthz stays 200, and Prometheus sees the check at 0', async () => {
    const deadUrl = `http://127.0.0.1:${await findFreePort()}`;
    const { metricsPort } = await start(deadUrl);
    const response = await fetch(`http://127.0.0.1:${metricsPort}/readyz`);
    expect(response.status).toBe(503);
    const body = (await response.json()) as ReadyBody;
    expect(body.status).toBe('not ready');
    expect(body.checks).toEqual([
      { name: 'influxdb', ok: false, reason: expect.stringContaining(`${deadUrl}/ping unreachable`) as unknown as string },
      { name: 'journal', ok: true },
    ]);
    expect((await fetch(`http://127.0.0.1:${metricsPort}/healthz`)).status).toBe(200);
    const metrics = await (await fetch(`http://127.0.0.1:${metricsPort}/metrics`)).text();
    expect(metrics).toContain('em_readiness_check_ok{check="influxdb",process="write"} 0');
  });

  it('when the disk does not confirm a journal cursor flush within the limit, then /readyz answers 503 naming it, logs one error however often the removal is retried, and answers 200 once a flush is confirmed', async () => {
    const disk = stalledDisk();
    const t = await startOnStalledDisk(disk);
    expect((await t.get('/readyz')).status).toBe(200);

    await t.broker.appendContainer(encodeContainer(makeContainer(1)));
    await until(async () => (await t.get('/readyz')).status === 503);
    const notReady = (await (await t.get('/readyz')).json()) as ReadyBody;
    expect(notReady.checks).toEqual([
      { name: 'influxdb', ok: true },
      {
        name: 'journal',
        ok: false,
        reason: `a journal cursor flush is overdue (journal removal: the disk did not confirm a flush within ${FLUSH_TIMEOUT_MS} ms); removals are retried until the disk confirms one`,
      },
    ]);
    // Retried, each retry waiting for the disk again: still not ready, still one error line.
    const timeouts = async () => Number(/^em_write_journal_flush_timeouts_total\{process="write"\} (\d+)$/m.exec(await (await t.get('/metrics')).text())?.[1]);
    await until(async () => (await timeouts()) >= 3);
    expect((await t.get('/readyz')).status).toBe(503);
    expect(await (await t.get('/metrics')).text()).toContain('em_readiness_check_ok{check="journal",process="write"} 0');
    const errors = t.lines.filter((line) => line.level >= 50);
    expect(errors).toEqual([expect.objectContaining({ msg: expect.stringMatching(/^the journal's disk did not confirm a cursor flush in 200 ms: /) as string })]);

    disk.answer();
    await until(async () => (await t.get('/readyz')).status === 200);
    expect(await (await t.get('/readyz')).json()).toEqual({ status: 'ready', checks: [{ name: 'influxdb', ok: true }, { name: 'journal', ok: true }] });
    expect(t.lines.filter((line) => line.msg === 'the journal cursor flush is confirmed again: the cursor advances')).toHaveLength(1);
    expect(t.lines.filter((line) => line.level >= 50)).toHaveLength(1);
    expect(t.journal.depth().entries).toBe(0);
  });
});
