// The loss check while the fleet keeps producing (an operator checking npm start's platform): what
// agents seal after the ledger was read is neither expected nor unexpected, so a clean live
// pipeline passes.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startFleet, type Fleet } from '../../../device-agent/fleet.js';
import { silentLogger } from '../../../lib/log.js';
import { createTestInfluxDatabase, type TestInfluxDatabase } from '../../../test/support/influx-database.js';
import { makeTempDir } from '../../../test/support/temp-dir.js';
import { startTestBroker, type TestBroker } from '../../../test/support/test-broker.js';
import { startTestWriteService, type TestWriteService } from '../../../test/support/test-write-service.js';
import { runLossCheck } from '../loss-check.js';

describe('loss check on a live fleet', () => {
  const dir = makeTempDir('loss-check-live');
  const ledgerPath = dir.join('ledger.ndjson');
  let broker: TestBroker;
  let db: TestInfluxDatabase;
  let writer: TestWriteService;
  let fleet: Fleet;

  beforeAll(async () => {
    broker = await startTestBroker();
    db = await createTestInfluxDatabase('loss_check_live');
    writer = await startTestWriteService({ journalPath: broker.config.journalPath, database: db.database, deadLetterPath: dir.join('write-dead-letters') });
    fleet = await startFleet({
      brokerUrl: broker.mqttUrl,
      dataDir: dir.join('fleet'),
      agents: 3,
      householdPrefix: 'live-h-',
      publishIntervalMs: 100,
      startJitterMs: 100,
      recordProduction: false,
      ledgerPath,
      log: silentLogger(),
    });
    await new Promise((resolve) => setTimeout(resolve, 1_000));
  });
  afterAll(async () => {
    await fleet.stop();
    await writer.stop();
    await broker.dispose();
    await db.drop();
    dir.remove();
  });

  it('when agents keep sealing during the check, then what they sealed after the ledger was read does not fail it', async () => {
    const result = await runLossCheck({
      influxUrl: db.url,
      database: db.database,
      ledgerPaths: [ledgerPath],
      buffered: [() => Promise.resolve(broker.journal.depth().entries), () => Promise.resolve(fleet.stats().totals.pending)],
      drainTimeoutMs: 20_000,
      pollMs: 200,
    });
    expect(result.report.totals).toMatchObject({ lostReadings: 0, unexpectedReadings: 0, duplicatedReadings: 0 });
    expect(result.report.totals.producedReadings).toBeGreaterThan(0);
    expect(result.sealedLaterContainers).toBeGreaterThan(0);
    expect(result.passed).toBe(true);
  });
});
