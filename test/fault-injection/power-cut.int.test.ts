// Fault injection (issue 6): a power cut — kill -9 of the broker, the write service and the fleet
// at the same instant, mid-stream — then everything starts again on the same folders. Whatever was
// acknowledged must be in InfluxDB once; whatever was sealed must be resent from the outboxes.
import { once } from 'node:events';
import { afterAll, describe, expect, inject, it } from 'vitest';
import { findFreePort } from '../../infra/free-port.js';
import { spawnService, type SpawnedService } from '../../lib/process/spawn-service.js';
import { metricValue, scrape } from '../../loadtest/lib/prometheus-text.js';
import { runLossCheck } from '../../loadtest/loss-check/loss-check.js';
import { createTestInfluxDatabase } from '../support/influx-database.js';
import { makeTempDir } from '../support/temp-dir.js';

describe('fault injection: power cut', () => {
  const dir = makeTempDir('fault-power');
  const running = new Set<SpawnedService>();
  afterAll(async () => {
    await Promise.all([...running].map((s) => s.stop().catch(() => undefined)));
    dir.remove();
  });

  it('when every process is killed -9 at once and restarted, then nothing acknowledged is lost or duplicated', async () => {
    const db = await createTestInfluxDatabase('fault_power');
    const mqttPort = await findFreePort();
    const journalPath = dir.join('journal');
    const ledgerPath = dir.join('ledger.ndjson');
    const start = async (name: string, entry: string, readyMessage: string, env: Record<string, string>): Promise<SpawnedService> => {
      const service = await spawnService({ name, entry, readyMessage, env });
      running.add(service);
      return service;
    };
    const startAll = async (): Promise<SpawnedService[]> => [
      await start('broker', 'broker/main.ts', 'broker listening', {
        EM_BROKER_AUTH: 'disabled',
        EM_BROKER_MQTT_PORT: String(mqttPort),
        EM_BROKER_WS_PORT: '0',
        EM_BROKER_METRICS_PORT: '0',
        EM_BROKER_JOURNAL_PATH: journalPath,
        EM_BROKER_DEAD_LETTER_PATH: dir.join('broker-dead-letters'),
      }),
      await start('write', 'services/write/main.ts', 'write service started', {
        EM_WRITE_INFLUX_URL: inject('influxUrl'),
        EM_WRITE_INFLUX_DB: db.database,
        EM_WRITE_JOURNAL_PATH: journalPath,
        EM_WRITE_DEAD_LETTER_PATH: dir.join('write-dead-letters'),
        EM_WRITE_METRICS_PORT: '0',
      }),
      await start('fleet', 'device-agent/fleet-main.ts', 'fleet started', {
        EM_FLEET_BROKER_URL: `mqtt://127.0.0.1:${mqttPort}`,
        EM_FLEET_AGENTS: '10',
        EM_FLEET_HOUSEHOLD_PREFIX: 'fp-',
        EM_FLEET_PUBLISH_INTERVAL_MS: '25',
        EM_FLEET_START_JITTER_MS: '25',
        EM_FLEET_CONTAINERS_PER_AGENT: '150',
        EM_FLEET_DATA_DIR: dir.join('fleet'),
        EM_FLEET_LEDGER_PATH: ledgerPath,
        EM_FLEET_METRICS_PORT: '0',
      }),
    ];

    const first = await startAll();
    await expect.poll(async () => Number((await db.query('SELECT count("value") FROM "reading"'))[0]?.values[0]?.[1] ?? 0), { timeout: 30_000, interval: 50 }).toBeGreaterThan(2_000);
    await Promise.all(first.map((s) => { running.delete(s); return s.kill9(); }));

    const [, writer, fleet] = await startAll();
    if (fleet === undefined || writer === undefined) throw new Error('not started');
    const [exitCode] = (await once(fleet.child, 'exit')) as [number | null];
    running.delete(fleet);
    expect(exitCode).toBe(0); // the restarted fleet sealed its containers and saw every one acknowledged

    const journalDepth = async (): Promise<number> =>
      metricValue(await scrape(`http://127.0.0.1:${String(writer.ready.metricsPort)}/metrics`), 'em_write_journal_depth_entries');
    const result = await runLossCheck({ influxUrl: db.url, database: db.database, ledgerPaths: [ledgerPath], buffered: [journalDepth], drainTimeoutMs: 60_000, pollMs: 250 });
    expect(result.report.totals.producedReadings).toBeGreaterThan(10 * 150 * 11); // both lives of the fleet
    expect(result.report.totals).toMatchObject({ lostReadings: 0, duplicatedReadings: 0, unexpectedReadings: 0, outOfOrderContainers: 0 });
    expect(result.passed).toBe(true);
    await db.drop();
  });
});
