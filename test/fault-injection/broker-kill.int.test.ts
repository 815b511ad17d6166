// Fault injection (issue 6): kill -9 of the broker under sustained load. Agents lose their
// connection, keep sealing into their outboxes, reconnect when the broker is back on the same
// port, and resend; the journal survives. The loss checker must then find 0 lost, 0 duplicated.
import { afterAll, describe, expect, it } from 'vitest';
import { startFleet } from '../../device-agent/fleet.js';
import { findFreePort } from '../../infra/free-port.js';
import { silentLogger } from '../../lib/log.js';
import { spawnService, type SpawnedService } from '../../lib/process/spawn-service.js';
import { metricValue, scrape } from '../../loadtest/lib/prometheus-text.js';
import { runLossCheck } from '../../loadtest/loss-check/loss-check.js';
import { createTestInfluxDatabase } from '../support/influx-database.js';
import { makeTempDir } from '../support/temp-dir.js';
import { startTestWriteService } from '../support/test-write-service.js';

describe('fault injection: broker', () => {
  const dir = makeTempDir('fault-broker');
  const cleanups: (() => Promise<void>)[] = [];
  afterAll(async () => {
    for (const cleanup of cleanups.reverse()) await cleanup().catch(() => undefined);
    dir.remove();
  });

  it('when the broker is killed -9 mid-stream and restarted, then nothing is lost or duplicated', async () => {
    const db = await createTestInfluxDatabase('fault_broker');
    cleanups.push(() => db.drop());
    const mqttPort = await findFreePort();
    const journalPath = dir.join('journal');
    const startBroker = (): Promise<SpawnedService> =>
      spawnService({
        name: 'broker',
        entry: 'broker/main.ts',
        readyMessage: 'broker listening',
        env: {
          EM_BROKER_AUTH: 'disabled',
          EM_BROKER_MQTT_PORT: String(mqttPort),
          EM_BROKER_WS_PORT: '0',
          EM_BROKER_METRICS_PORT: '0',
          EM_BROKER_JOURNAL_PATH: journalPath,
          EM_BROKER_DEAD_LETTER_PATH: dir.join('broker-dead-letters'),
        },
      });
    let broker = await startBroker();
    cleanups.push(() => broker.stop());
    const writer = await startTestWriteService({ journalPath: journalPath, database: db.database, deadLetterPath: dir.join('write-dead-letters') });
    const { metricsPort } = writer;
    cleanups.push(() => writer.stop());
    const ledgerPath = dir.join('ledger.ndjson');
    const fleet = await startFleet({
      brokerUrl: `mqtt://127.0.0.1:${mqttPort}`,
      dataDir: dir.join('fleet'),
      agents: 20,
      householdPrefix: 'fb-',
      publishIntervalMs: 25,
      startJitterMs: 25,
      stopAfterContainers: 200,
      recordProduction: false,
      ledgerPath,
      backoff: { baseMs: 50, capMs: 500 },
      log: silentLogger(),
    });
    cleanups.push(() => fleet.stop());

    await expect.poll(() => fleet.stats().totals.acked, { timeout: 30_000, interval: 20 }).toBeGreaterThan(1_000);
    await broker.kill9();
    const ackedAtKill = fleet.stats().totals.acked;
    await new Promise((resolve) => setTimeout(resolve, 1_000)); // agents keep sealing into outboxes
    broker = await startBroker();

    const stats = await fleet.waitUntilAllAcked(60_000);
    expect(ackedAtKill).toBeLessThan(4_000);
    expect(stats.totals.reconnects).toBeGreaterThanOrEqual(20);
    const journalDepth = async (): Promise<number> =>
      metricValue(await scrape(`http://127.0.0.1:${metricsPort}/metrics`), 'em_write_journal_depth_entries');
    const result = await runLossCheck({
      influxUrl: db.url,
      database: db.database,
      ledgerPaths: [ledgerPath],
      buffered: [() => Promise.resolve(fleet.stats().totals.pending), journalDepth],
      drainTimeoutMs: 60_000,
      pollMs: 250,
    });
    expect(result.report.totals).toMatchObject({ producedReadings: 4_000 * 11, lostReadings: 0, duplicatedReadings: 0, unexpectedReadings: 0, outOfOrderContainers: 0 });
    expect(result.passed).toBe(true);
  });
});
