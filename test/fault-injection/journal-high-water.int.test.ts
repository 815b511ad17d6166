// Fault injection (issue 6): the journal passes its high-water mark because nothing drains it.
// The broker holds PUBACKs (and with them the devices' sockets) instead of growing without bound;
// the agents keep sealing into their outboxes; once a write service drains the journal, PUBACKs
// flow again and everything lands: 0 lost, 0 duplicated.
import { afterAll, describe, expect, it } from 'vitest';
import { startFleet } from '../../device-agent/fleet.js';
import { silentLogger } from '../../lib/log.js';
import { metricValue } from '../../loadtest/lib/prometheus-text.js';
import { runLossCheck } from '../../loadtest/loss-check/loss-check.js';
import { createTestInfluxDatabase } from '../support/influx-database.js';
import { makeTempDir } from '../support/temp-dir.js';
import { startTestWriteService } from '../support/test-write-service.js';
import { startTestBroker } from '../support/test-broker.js';

const HIGH_WATER = 300;

describe('fault injection: journal high-water mark', () => {
  const dir = makeTempDir('fault-hwm');
  const cleanups: (() => Promise<void>)[] = [];
  afterAll(async () => {
    for (const cleanup of cleanups.reverse()) await cleanup().catch(() => undefined);
    dir.remove();
  });

  it('when nothing drains the journal, then PUBACKs are held at the high-water mark and nothing is dropped', async () => {
    const db = await createTestInfluxDatabase('fault_hwm');
    cleanups.push(() => db.drop());
    const broker = await startTestBroker({
      EM_BROKER_JOURNAL_HIGH_WATER_ENTRIES: String(HIGH_WATER),
      EM_BROKER_JOURNAL_LOW_WATER_ENTRIES: String(HIGH_WATER / 2),
      EM_BROKER_JOURNAL_DEPTH_POLL_MS: '50',
    });
    cleanups.push(() => broker.dispose());
    const ledgerPath = dir.join('ledger.ndjson');
    const fleet = await startFleet({
      brokerUrl: broker.mqttUrl,
      dataDir: dir.join('fleet'),
      agents: 10,
      householdPrefix: 'fw-',
      publishIntervalMs: 20,
      startJitterMs: 20,
      stopAfterContainers: 100,
      recordProduction: false,
      ledgerPath,
      log: silentLogger(),
    });
    cleanups.push(() => fleet.stop());

    // Every agent seals all 100 containers (into its outbox) while the journal is capped.
    await expect.poll(() => fleet.stats().totals.sealed, { timeout: 30_000, interval: 50 }).toBe(1_000);
    await new Promise((resolve) => setTimeout(resolve, 500));
    const held = fleet.stats().totals;
    const metrics = await broker.registry.metrics();
    expect(broker.journal.depth().entries).toBeGreaterThanOrEqual(HIGH_WATER);
    expect(broker.journal.depth().entries).toBeLessThanOrEqual(HIGH_WATER + 10); // one batch per connection at most
    expect(held.acked).toBeLessThan(1_000);
    expect(held.pending).toBe(1_000 - held.acked); // the rest waits in the outboxes, nothing dropped
    expect(held.dropped).toBe(0);
    expect(metricValue(metrics, 'em_broker_backpressure_active')).toBe(1);
    expect(metricValue(metrics, 'em_broker_publishes_held_total')).toBeGreaterThan(0);

    const writer = await startTestWriteService({ journalPath: broker.config.journalPath, database: db.database, deadLetterPath: dir.join('write-dead-letters') });
    cleanups.push(() => writer.stop());
    await fleet.waitUntilAllAcked(60_000);
    const result = await runLossCheck({
      influxUrl: db.url,
      database: db.database,
      ledgerPaths: [ledgerPath],
      buffered: [() => Promise.resolve(broker.journal.depth().entries)],
      drainTimeoutMs: 60_000,
      pollMs: 200,
    });
    expect(result.report.totals).toMatchObject({ producedReadings: 1_000 * 11, lostReadings: 0, duplicatedReadings: 0, unexpectedReadings: 0 });
    expect(result.passed).toBe(true);
    expect(metricValue(await broker.registry.metrics(), 'em_broker_backpressure_active')).toBe(0);
  });
});
