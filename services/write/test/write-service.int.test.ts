// The whole write service against a real LMDB journal and the real InfluxDB: what the broker
// appends ends up stored exactly once, byte-exact; what InfluxDB refuses is dead-lettered without
// holding up the rest.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openDeadLetterStore } from '../../../lib/dead-letter/dead-letter-store.js';
import type { ContainerJournal } from '../../../lib/journal/container-journal.js';
import { openLmdbJournal } from '../../../lib/journal/lmdb-journal.js';
import { silentLogger } from '../../../lib/log.js';
import { encodeContainer, type ReadingContainer } from '../../../proto/container.js';
import { QUANTITIES } from '../../../proto/quantities.js';
import { createTestInfluxDatabase, type TestInfluxDatabase } from '../../../test/support/influx-database.js';
import { makeTempDir, type TempDir } from '../../../test/support/temp-dir.js';
import { createWriteService, type WriteService } from '../app.js';
import { loadWriteConfig, type WriteConfig } from '../config.js';

const NOW = Date.now();

let dir: TempDir;
let db: TestInfluxDatabase;
let brokerJournal: ContainerJournal;
let service: WriteService | undefined;

beforeEach(async () => {
  dir = makeTempDir('write-service');
  db = await createTestInfluxDatabase('write_service');
  brokerJournal = await openLmdbJournal(dir.join('journal'), 'appender');
});

afterEach(async () => {
  await service?.stop();
  service = undefined;
  await brokerJournal.close();
  await db.drop();
  dir.remove();
});

function config(env: Record<string, string> = {}): Readonly<WriteConfig> {
  return loadWriteConfig({
    EM_WRITE_INFLUX_URL: db.url,
    EM_WRITE_INFLUX_DB: db.database,
    EM_WRITE_JOURNAL_PATH: dir.join('journal'),
    EM_WRITE_DEAD_LETTER_PATH: dir.join('dead-letters'),
    EM_WRITE_METRICS_PORT: '0',
    EM_WRITE_LINGER_MS: '10',
    ...env,
  });
}

function container(seq: number, agentId: string, deviceIds: readonly string[], timestampMs = NOW - 60_000): ReadingContainer {
  return {
    householdId: 'household-1',
    agentId,
    seq,
    createdAtMs: timestampMs,
    measurements: deviceIds.flatMap((deviceId, d) =>
      QUANTITIES.slice(0, 3).map((quantity, q) => ({ deviceId, quantity, value: seq * 1000 + d * 10 + q + 0.25, timestampMs: timestampMs + seq })),
    ),
  };
}

async function until(condition: () => boolean | Promise<boolean>, timeoutMs = 20_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

type Row = [number, string, string, string, string, number, number];

async function storedRows(): Promise<Row[]> {
  const series = await db.query('SELECT "agent", "device", "household", "quantity", "value", "seq" FROM "reading"');
  return (series[0]?.values ?? []) as Row[];
}

describe('write service', () => {
  it('when containers are journaled, then every measurement is stored exactly once with exact values and timestamps', async () => {
    const containers: ReadingContainer[] = [];
    const devices = ['plug-1', 'plug 2', 'meter,main', 'a\\,b=c', 'ü 😀\t"x"'];
    for (let seq = 1; seq <= 300; seq++) containers.push(container(seq, `agent-${seq % 7}`, devices));
    const half = containers.length / 2;
    for (const c of containers.slice(0, half)) await brokerJournal.appendContainer(encodeContainer(c));

    service = createWriteService(config({ EM_WRITE_MAX_BATCH_LINES: '500' }), { log: silentLogger() });
    await service.start();
    // The rest arrives while the service runs (another "process" appending to the same journal).
    for (const c of containers.slice(half)) await brokerJournal.appendContainer(encodeContainer(c));
    await until(() => brokerJournal.depth().entries === 0);

    const expected = containers.flatMap((c) =>
      c.measurements.map((m): Row => [m.timestampMs, c.agentId, m.deviceId, c.householdId, m.quantity, m.value, c.seq]),
    );
    const sortRows = (rows: Row[]) => rows.map((r) => JSON.stringify(r)).sort();
    expect(sortRows(await storedRows())).toEqual(sortRows(expected));
    const points = (await service.metrics.pointsWritten.get()).values[0]?.value;
    expect(points).toBe(expected.length);
  });

  it('when InfluxDB refuses a point (field type conflict), then it is dead-lettered and everything else lands', async () => {
    // `value` is a string in the shard of the year 2001 (1.x types fields per shard), so readings
    // stamped then are refused with 400 while today's readings are fine.
    const old = Date.UTC(2001, 0, 1);
    await db.write(`reading,agent=x,device=x,household=x,quantity=power_w value="text" ${old}`);
    const conflicted: ReadingContainer = {
      ...container(2, 'agent-1', ['plug-1']),
      measurements: [
        { deviceId: 'plug-old', quantity: 'power_w', value: 1.5, timestampMs: old + 1 },
        { deviceId: 'plug-new', quantity: 'power_w', value: 2.5, timestampMs: NOW - 1_000 },
      ],
    };
    for (const c of [container(1, 'agent-1', ['plug-1']), conflicted, container(3, 'agent-1', ['plug-1'])]) {
      await brokerJournal.appendContainer(encodeContainer(c));
    }

    service = createWriteService(config(), { log: silentLogger() });
    await service.start();
    await until(() => brokerJournal.depth().entries === 0);
    await service.stop();
    service = undefined;

    const rows = await storedRows();
    expect(rows.filter((r) => r[6] === 1 || r[6] === 3)).toHaveLength(6);
    expect(rows.filter((r) => r[6] === 2).map((r) => [r[2], r[5]])).toEqual([['plug-new', 2.5]]);
    const deadLetters = openDeadLetterStore(dir.join('dead-letters'));
    try {
      const letters = deadLetters.list();
      expect(letters).toHaveLength(1);
      expect(letters[0]).toMatchObject({ source: 'write', reason: 'influx-400' });
      expect(letters[0]?.detail).toContain('field type conflict');
      expect(new TextDecoder().decode(letters[0]?.payload)).toBe(
        `reading,agent=agent-1,device=plug-old,household=household-1,quantity=power_w value=1.5,seq=2i ${old + 1}`,
      );
    } finally {
      await deadLetters.close();
    }
  });

  it('when the database is dropped while running, then it is created again and nothing is lost', async () => {
    service = createWriteService(config(), { log: silentLogger() });
    await service.start();
    await brokerJournal.appendContainer(encodeContainer(container(1, 'agent-1', ['plug-1'])));
    await until(() => brokerJournal.depth().entries === 0);
    await db.query(`DROP DATABASE "${db.database}"`);
    await brokerJournal.appendContainer(encodeContainer(container(2, 'agent-1', ['plug-1'])));
    await until(() => brokerJournal.depth().entries === 0);
    expect((await storedRows()).map((r) => r[6])).toEqual([2, 2, 2]);
  });

  it('when containers hold readings too old for the continuous queries, then their hours are marked for the read model (late_hour), and fresh ones mark nothing', async () => {
    service = createWriteService(config(), { log: silentLogger() });
    await service.start();
    const threeDaysAgo = Math.floor((NOW - 3 * 86_400_000) / 3_600_000) * 3_600_000 + 15 * 60_000;
    await brokerJournal.appendContainer(encodeContainer(container(1, 'agent-1', ['plug-1'])));
    await until(() => brokerJournal.depth().entries === 0);
    await brokerJournal.appendContainer(encodeContainer(container(2, 'agent-1', ['plug-1'], threeDaysAgo)));
    await brokerJournal.appendContainer(encodeContainer(container(3, 'agent-1', ['plug-1'], threeDaysAgo + 600_000)));
    await until(() => brokerJournal.depth().entries === 0);
    const marks = await db.query('SELECT "containers", "hour" FROM "late_hour"');
    // One mark per batch that held the hour: the two late containers may have gone in one or two.
    expect([...new Set(marks[0]?.values.map((row) => row[2]))]).toEqual([String(threeDaysAgo - 15 * 60_000)]);
    expect((await storedRows()).length).toBe(9);
    expect((await service.metrics.lateHourMarks.get()).values[0]?.value).toBeGreaterThanOrEqual(1);
  });

  it('serves its metrics, journal depth included', async () => {
    service = createWriteService(config(), { log: silentLogger() });
    const { metricsPort } = await service.start();
    await brokerJournal.appendContainer(encodeContainer(container(1, 'agent-1', ['plug-1'])));
    await until(() => brokerJournal.depth().entries === 0);
    const text = await (await fetch(`http://127.0.0.1:${metricsPort}/metrics`)).text();
    expect(text).toMatch(/em_write_points_written_total\{process="write"\} 3/);
    expect(text).toMatch(/em_write_journal_depth_entries\{process="write"\} 0/);
    expect(text).toContain('em_write_lag_seconds_bucket');
  });
});
