// Fault injection (issue 6): InfluxDB stops under sustained load and comes back. Devices keep
// getting PUBACKs (the journal grows on disk), the write service retries with backoff, and once
// InfluxDB returns everything lands: 0 lost, 0 duplicated. Short version (5 s outage) for the
// test command; loadtest/ runs the 60 s one.
import { afterAll, describe, expect, it } from 'vitest';
import { startFleet } from '../../device-agent/fleet.js';
import { createInfluxDatabase, startInfluxdb, type RunningInfluxdb } from '../../infra/influxdb.js';
import { silentLogger } from '../../lib/log.js';
import { runLossCheck } from '../../loadtest/loss-check/loss-check.js';
import { makeTempDir } from '../support/temp-dir.js';
import { startTestWriteService } from '../support/test-write-service.js';
import { startTestBroker } from '../support/test-broker.js';

describe('fault injection: InfluxDB outage', () => {
  const dir = makeTempDir('fault-influx');
  const cleanups: (() => Promise<void>)[] = [];
  afterAll(async () => {
    for (const cleanup of cleanups.reverse()) await cleanup().catch(() => undefined);
    dir.remove();
  });

  it('when InfluxDB is down for a while, then PUBACKs continue, the journal grows, and everything lands after', async () => {
    let influx: RunningInfluxdb = await startInfluxdb({ dataDir: dir.join('influxdb') });
    cleanups.push(() => influx.stop());
    await createInfluxDatabase(influx.url, 'outage');
    const broker = await startTestBroker();
    cleanups.push(() => broker.dispose());
    const writer = await startTestWriteService({ journalPath: broker.config.journalPath, database: 'outage', deadLetterPath: dir.join('write-dead-letters'), influxUrl: influx.url });
    cleanups.push(() => writer.stop());
    const ledgerPath = dir.join('ledger.ndjson');
    const fleet = await startFleet({
      brokerUrl: broker.mqttUrl,
      dataDir: dir.join('fleet'),
      agents: 10,
      householdPrefix: 'fo-',
      publishIntervalMs: 25,
      startJitterMs: 25,
      stopAfterContainers: 400,
      recordProduction: false,
      ledgerPath,
      log: silentLogger(),
    });
    cleanups.push(() => fleet.stop());

    await expect.poll(() => fleet.stats().totals.acked, { timeout: 30_000, interval: 20 }).toBeGreaterThan(500);
    await influx.stop();
    const ackedAtStop = fleet.stats().totals.acked;
    await new Promise((resolve) => setTimeout(resolve, 5_000));
    const ackedDuringOutage = fleet.stats().totals.acked - ackedAtStop;
    const journalAtRestart = broker.journal.depth().entries;
    influx = await startInfluxdb({ dataDir: dir.join('influxdb'), httpPort: influx.httpPort });

    await fleet.waitUntilAllAcked(60_000);
    expect(ackedDuringOutage).toBeGreaterThan(500); // devices were acknowledged while InfluxDB was down
    expect(journalAtRestart).toBeGreaterThan(500); // … because the journal held their readings
    const result = await runLossCheck({
      influxUrl: influx.url,
      database: 'outage',
      ledgerPaths: [ledgerPath],
      buffered: [() => Promise.resolve(broker.journal.depth().entries)],
      drainTimeoutMs: 90_000,
      pollMs: 250,
    });
    expect(result.report.totals).toMatchObject({ producedReadings: 4_000 * 11, lostReadings: 0, duplicatedReadings: 0, unexpectedReadings: 0 });
    expect(result.passed).toBe(true);
  });
});
