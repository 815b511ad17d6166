// The loss checker against the real pipeline: a clean run passes; a reading deleted from InfluxDB
// is reported lost, a foreign point unexpected, also when it takes a lost reading's place; and it
// refuses to pass before the journal drains.
import { spawnSync } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startFleet } from '../../../device-agent/fleet.js';
import { readProductionLedger } from '../../../device-agent/production-ledger.js';
import { silentLogger } from '../../../lib/log.js';
import { createTestInfluxDatabase, type TestInfluxDatabase } from '../../../test/support/influx-database.js';
import { makeTempDir } from '../../../test/support/temp-dir.js';
import { startTestWriteService } from '../../../test/support/test-write-service.js';
import { startTestBroker, type TestBroker } from '../../../test/support/test-broker.js';
import { runLossCheck } from '../loss-check.js';

describe('loss check', () => {
  const dir = makeTempDir('loss-check');
  let broker: TestBroker;
  let db: TestInfluxDatabase;
  const ledgerPath = dir.join('ledger.ndjson');

  beforeAll(async () => {
    broker = await startTestBroker();
    db = await createTestInfluxDatabase('loss_check');
    const fleet = await startFleet({
      brokerUrl: broker.mqttUrl,
      dataDir: dir.join('fleet'),
      agents: 5,
      householdPrefix: 'loss-h-',
      publishIntervalMs: 20,
      startJitterMs: 20,
      stopAfterContainers: 40,
      recordProduction: false,
      ledgerPath,
      log: silentLogger(),
    });
    await fleet.waitUntilAllAcked(30_000);
    await fleet.stop();
  });
  afterAll(async () => {
    await broker.dispose();
    await db.drop();
    dir.remove();
  });

  const check = (drainTimeoutMs: number) =>
    runLossCheck({
      influxUrl: db.url,
      database: db.database,
      ledgerPaths: [ledgerPath],
      buffered: [() => Promise.resolve(broker.journal.depth().entries)],
      drainTimeoutMs,
      pollMs: 100,
    });

  it('when the write service has not run, then the journal is not drained and the check fails', async () => {
    const result = await check(300);
    expect(result.drain.drained).toBe(false);
    expect(result.passed).toBe(false);
  });

  it('when the pipeline has drained, then it passes; a deleted reading is lost and a foreign point unexpected', async () => {
    const writer = await startTestWriteService({ journalPath: broker.config.journalPath, database: db.database, deadLetterPath: dir.join('write-dead-letters') });
    try {
      const clean = await check(60_000);
      expect(clean.passed).toBe(true);
      expect(clean.report.totals.producedReadings).toBe(readProductionLedger(ledgerPath).reduce((n, c) => n + c.readings, 0));
      expect(clean.report.totals.storedReadings).toBe(clean.report.totals.producedReadings);
    } finally {
      await writer.stop();
    }

    const [victim] = await db.query(`SELECT "seq", "value" FROM "reading" WHERE "agent" = 'a-0003' AND "seq" = 7 LIMIT 1`);
    const victimTime = Number(victim?.values[0]?.[0]);
    await db.query(`DELETE FROM "reading" WHERE "agent" = 'a-0003' AND time = ${victimTime}ms`);
    await db.write(`reading,agent=a-0003,device=intruder,household=loss-h-0003,quantity=power_w value=1,seq=9999i ${victimTime}`);
    // A reading lost and replaced by a foreign point in the same container: the count still matches.
    const [swapped] = await db.query(`SELECT "seq", "value" FROM "reading" WHERE "agent" = 'a-0002' AND "seq" = 5 LIMIT 1`);
    const swappedTime = Number(swapped?.values[0]?.[0]);
    await db.query(`DELETE FROM "reading" WHERE "agent" = 'a-0002' AND time = ${swappedTime}ms`);
    await db.write(`reading,agent=a-0002,device=intruder,household=loss-h-0002,quantity=power_w value=1,seq=5i ${swappedTime}`);

    const damaged = await check(10_000);
    expect(damaged.passed).toBe(false);
    const agent = damaged.report.agents.find((a) => a.agentId === 'a-0003');
    expect(agent).toMatchObject({ unexpectedReadings: 1, unexpectedSeqs: [{ from: 9999, to: 9999 }] });
    expect(agent?.lostReadings).toBeGreaterThan(0);
    expect(agent?.lostSeqs.some((r) => r.from <= 7 && 7 <= r.to)).toBe(true);
    expect(damaged.report.agents.find((a) => a.agentId === 'a-0002')).toMatchObject({
      lostSeqs: [{ from: 5, to: 5 }],
      unexpectedReadings: 1,
      unexpectedSeqs: [{ from: 5, to: 5 }],
    });
    expect(damaged.report.agents.find((a) => a.agentId === 'a-0002')?.lostReadings).toBeGreaterThan(0);
    expect(damaged.report.agents.filter((a) => !['a-0002', 'a-0003'].includes(a.agentId)).every((a) => a.lostReadings === 0)).toBe(true);
    expect(damaged.report.totals.countOnlyContainers).toBe(0);
  });

  it('when --db names a database InfluxDB does not have, then the CLI says so in one line and exits 2', () => {
    const run = spawnSync(
      process.execPath,
      ['--import', 'tsx', 'loadtest/loss-check-cli.ts', '--ledger', ledgerPath, '--influx-url', db.url, '--db', 'nosuchdb'],
      { encoding: 'utf8', timeout: 30_000 },
    );
    expect(run.status).toBe(2);
    expect(run.stderr).toMatch(new RegExp(`^loss-check: --db nosuchdb: no such database on ${db.url} \\(it has: [^\\n]+\\)\n$`));
  });
});
