// Fault injection (issue 6): one agent loses its network for a while (short version: 3 s; the
// loadtest/ version runs 10 minutes) while the others keep publishing. It keeps sampling into its
// outbox, and when the network is back it backfills oldest first: every reading is stored once,
// in seq order, at its original timestamp.
import { afterAll, describe, expect, it } from 'vitest';
import { startFleet } from '../../device-agent/fleet.js';
import { silentLogger } from '../../lib/log.js';
import { runLossCheck } from '../../loadtest/loss-check/loss-check.js';
import { createTestInfluxDatabase } from '../support/influx-database.js';
import { makeTempDir } from '../support/temp-dir.js';
import { startTestWriteService } from '../support/test-write-service.js';
import { startTcpProxy } from '../support/tcp-proxy.js';
import { startTestBroker } from '../support/test-broker.js';

describe('fault injection: agent offline', () => {
  const dir = makeTempDir('fault-offline');
  const cleanups: (() => Promise<void>)[] = [];
  afterAll(async () => {
    for (const cleanup of cleanups.reverse()) await cleanup().catch(() => undefined);
    dir.remove();
  });

  it('when one agent is offline for a while, then it backfills in order with its original timestamps', async () => {
    const db = await createTestInfluxDatabase('fault_offline');
    cleanups.push(() => db.drop());
    const broker = await startTestBroker();
    cleanups.push(() => broker.dispose());
    const writer = await startTestWriteService({ journalPath: broker.config.journalPath, database: db.database, deadLetterPath: dir.join('write-dead-letters') });
    cleanups.push(() => writer.stop());
    const proxy = await startTcpProxy(broker.addresses.mqttPort);
    cleanups.push(() => proxy.close());
    const ledgerPath = dir.join('ledger.ndjson');
    const fleetOptions = {
      publishIntervalMs: 25,
      startJitterMs: 25,
      stopAfterContainers: 200,
      recordProduction: false,
      ledgerPath,
      backoff: { baseMs: 50, capMs: 300 },
      log: silentLogger(),
    };
    const online = await startFleet({ ...fleetOptions, brokerUrl: broker.mqttUrl, dataDir: dir.join('online'), agents: 4, householdPrefix: 'fon-' });
    cleanups.push(() => online.stop());
    const roaming = await startFleet({ ...fleetOptions, brokerUrl: `mqtt://127.0.0.1:${proxy.port}`, dataDir: dir.join('roaming'), agents: 1, householdPrefix: 'froam-', agentPrefix: 'roam-' });
    cleanups.push(() => roaming.stop());

    await expect.poll(() => roaming.stats().totals.acked, { timeout: 20_000, interval: 20 }).toBeGreaterThan(20);
    await proxy.cut();
    const outageStartMs = Date.now();
    const ackedAtCut = roaming.stats().totals.acked;
    await new Promise((resolve) => setTimeout(resolve, 3_000));
    const duringOutage = roaming.stats().totals;
    await proxy.restore();
    const outageEndMs = Date.now();

    expect(duringOutage.acked - ackedAtCut).toBeLessThanOrEqual(32); // at most what was in flight at the cut
    expect(duringOutage.pending).toBeGreaterThan(50); // kept sampling into the outbox
    await Promise.all([online.waitUntilAllAcked(60_000), roaming.waitUntilAllAcked(60_000)]);
    const result = await runLossCheck({
      influxUrl: db.url,
      database: db.database,
      ledgerPaths: [ledgerPath],
      buffered: [() => Promise.resolve(broker.journal.depth().entries)],
      drainTimeoutMs: 60_000,
      pollMs: 200,
    });
    expect(result.report.totals).toMatchObject({ producedReadings: 5 * 200 * 11, lostReadings: 0, duplicatedReadings: 0, unexpectedReadings: 0, outOfOrderContainers: 0 });
    expect(result.passed).toBe(true);
    // The backfilled readings carry the times they were sampled, inside the outage.
    const [during] = await db.query(
      `SELECT count("value") FROM "reading" WHERE "agent" = 'roam-0001' AND time >= ${outageStartMs + 200}ms AND time <= ${outageEndMs - 200}ms`,
    );
    expect(Number(during?.values[0]?.[1] ?? 0)).toBeGreaterThan(50 * 11);
  });
});
