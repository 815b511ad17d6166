// The ingest spine end to end over real sockets: fleet → broker → LMDB journal → write service →
// real InfluxDB. "Every reading once, values and timestamps exact", bad input isolated, and a
// kill -9 of the write service mid-stream loses and duplicates nothing.
import { existsSync, readFileSync } from 'node:fs';
import { afterEach, describe, expect, inject, it } from 'vitest';
import { connectAsync } from 'mqtt';
import { createWriteService } from '../../services/write/app.js';
import { loadWriteConfig } from '../../services/write/config.js';
import { startFleet, type Fleet } from '../../device-agent/fleet.js';
import { silentLogger } from '../../lib/log.js';
import { spawnService, type SpawnedService } from '../../lib/process/spawn-service.js';
import { encodeContainer } from '../../proto/container.js';
import { readingsTopic } from '../../proto/topics.js';
import { createTestInfluxDatabase } from '../support/influx-database.js';
import { ExpectedReadings, storedReadings } from '../support/expected-readings.js';
import { makeTempDir, type TempDir } from '../support/temp-dir.js';
import { startTestBroker, type TestBroker } from '../support/test-broker.js';

// Spaces, commas, equals signs, backslashes, non-ASCII: all storable exactly in InfluxDB 1.6.7.
const DEVICE_IDS = ['living room lamp', 'kitchen,fridge', 'plug=1', 'C:\\sockets\\washer', 'a\\,b = c', 'Küche Kühlschrank', '洗濯機', 'emoji 🔌 socket', ' leading space'];

const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

async function setup(prefix: string): Promise<{ dir: TempDir; broker: TestBroker; db: Awaited<ReturnType<typeof createTestInfluxDatabase>> }> {
  const dir = makeTempDir(prefix);
  cleanups.push(() => Promise.resolve(dir.remove()));
  const broker = await startTestBroker();
  cleanups.push(() => broker.dispose());
  const db = await createTestInfluxDatabase(prefix);
  cleanups.push(() => db.drop());
  return { dir, broker, db };
}

function writeEnv(dir: TempDir, broker: TestBroker, database: string): Record<string, string> {
  return {
    EM_WRITE_INFLUX_URL: inject('influxUrl'),
    EM_WRITE_INFLUX_DB: database,
    EM_WRITE_JOURNAL_PATH: broker.config.journalPath,
    EM_WRITE_DEAD_LETTER_PATH: dir.join('write-dead-letters'),
    EM_WRITE_METRICS_PORT: '0',
  };
}

async function runFleet(broker: TestBroker, dir: TempDir, expected: ExpectedReadings, agents: number, containers: number, householdPrefix: string): Promise<Fleet> {
  const fleet = await startFleet({
    brokerUrl: broker.mqttUrl,
    dataDir: dir.join('fleet'),
    agents,
    householdPrefix,
    publishIntervalMs: 20,
    sampleIntervalMs: 20,
    startJitterMs: 20,
    deviceIds: DEVICE_IDS,
    stopAfterContainers: containers,
    recordProduction: false,
    onSealed: (c) => expected.add(c),
    log: silentLogger(),
  });
  cleanups.push(() => fleet.stop());
  return fleet;
}

async function drained(broker: TestBroker, timeoutMs = 90_000, writer?: { service: SpawnedService; logFile: string }): Promise<void> {
  try {
    await expect.poll(() => broker.journal.depth().entries, { timeout: timeoutMs, interval: 100 }).toBe(0);
  } catch (err) {
    if (writer === undefined) throw err;
    // Say what the write service was doing: alive or exited, and its last log lines.
    const { exitCode, signalCode } = writer.service.child;
    const log = existsSync(writer.logFile) ? readFileSync(writer.logFile, 'utf8').trim().split('\n').slice(-15).join('\n') : '(no log)';
    throw new Error(`journal not drained (${broker.journal.depth().entries} entries left); write service ${exitCode === null && signalCode === null ? 'running' : `exited (code ${exitCode}, signal ${signalCode})`}; its last log lines:\n${log}`, { cause: err });
  }
}

function expectExactlyStored(expected: ExpectedReadings, stored: Map<string, { value: number; seq: number }>): void {
  expect(stored.size).toBe(expected.points.size);
  for (const [key, want] of expected.points) {
    const got = stored.get(key);
    if (got === undefined || got.value !== want.value || got.seq !== want.seq) {
      expect({ key, got }).toEqual({ key, got: want });
    }
  }
}

describe('ingest pipeline', () => {
  it('when 50 agents publish 20,000 containers at QoS1, then InfluxDB holds every reading once, exact, while bad payloads are dead-lettered', async () => {
    const { dir, broker, db } = await setup('pipeline');
    const writer = createWriteService(loadWriteConfig(writeEnv(dir, broker, db.database)), { log: silentLogger() });
    await writer.start();
    cleanups.push(() => writer.stop());
    const expected = new ExpectedReadings();
    const fleet = await runFleet(broker, dir, expected, 50, 400, 'hp-');

    // While the fleet runs: a malformed payload and one claiming another household's topic.
    const rogue = await connectAsync(broker.mqttUrl, { clientId: 'rogue', reconnectPeriod: 0 });
    await rogue.publishAsync(readingsTopic('hp-0001', 'a-0001'), Buffer.from('definitely not protobuf'), { qos: 1 });
    const foreign = { householdId: 'victim', agentId: 'a-0001', seq: 1, createdAtMs: Date.now(), measurements: [{ deviceId: 'x', quantity: 'power_w' as const, value: 1, timestampMs: Date.now() }] };
    await rogue.publishAsync(readingsTopic('hp-0001', 'a-0001'), Buffer.from(encodeContainer(foreign)), { qos: 1 });
    expect(rogue.connected).toBe(true);
    await rogue.endAsync();

    const stats = await fleet.waitUntilAllAcked(120_000);
    expect(stats.totals.acked).toBe(20_000);
    await drained(broker);
    expectExactlyStored(expected, await storedReadings(db.url, db.database, expected.households));
    expect(broker.deadLetters.list().map((l) => l.reason).sort()).toEqual(['decode', 'topic-mismatch']);
    expect(await db.query(`SELECT count("value") FROM "reading" WHERE "household" = 'victim'`)).toEqual([]);
  });

  it('when the write service is killed -9 mid-stream and restarted, then everything arrives and nothing twice', async () => {
    const { dir, broker, db } = await setup('kill9');
    const env = writeEnv(dir, broker, db.database);
    const logFile = dir.join('write.log');
    const start = (): Promise<SpawnedService> =>
      spawnService({ name: 'write', entry: 'services/write/main.ts', readyMessage: 'write service started', env: { ...env, EM_WRITE_MAX_BATCH_LINES: '2000' }, logFile });
    let writer = await start();
    cleanups.push(() => writer.stop());
    const expected = new ExpectedReadings();
    const fleet = await runFleet(broker, dir, expected, 20, 300, 'hk-');

    // Kill once some, but not all, containers are stored: the journal has acked, unstored work.
    await expect.poll(async () => Number((await db.query(`SELECT count("value") FROM "reading"`))[0]?.values[0]?.[1] ?? 0), { timeout: 60_000, interval: 50 }).toBeGreaterThan(5_000);
    await writer.kill9();
    const depthAtKill = broker.journal.depth().entries;
    await new Promise((r) => setTimeout(r, 500));
    writer = await start();

    await fleet.waitUntilAllAcked(120_000);
    await drained(broker, undefined, { service: writer, logFile });
    expect(depthAtKill).toBeGreaterThan(0);
    expectExactlyStored(expected, await storedReadings(db.url, db.database, expected.households));
  });
});
