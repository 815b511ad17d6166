// A real Prometheus (infra/prometheus.ts) watching a real broker, write service and fleet: the
// alert rules fire and resolve on live data. Intervals are shortened (scrape and evaluate every
// 500 ms, every `for:` 2 s); the expressions are exactly the checked-in ones.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startFleet, type Fleet } from '../../device-agent/fleet.js';
import { silentLogger } from '../../lib/log.js';
import { createProcessRegistry, startMetricsServer, type MetricsServer } from '../../lib/metrics/metrics-server.js';
import { createTestInfluxDatabase, type TestInfluxDatabase } from '../../test/support/influx-database.js';
import { makeTempDir, type TempDir } from '../../test/support/temp-dir.js';
import { startTestBroker, type TestBroker } from '../../test/support/test-broker.js';
import { startTestWriteService, type TestWriteService } from '../../test/support/test-write-service.js';
import { startInfluxdb } from '../influxdb.js';
import { listAlerts, queryPrometheus, type PromAlert } from '../prometheus-api.js';
import { OPERATOR_QUERIES } from '../prometheus-queries.js';
import { startPrometheus, type RunningPrometheus, type ScrapeTarget } from '../prometheus.js';
import { createPrometheusTestFolder, type PrometheusTestFolder } from './prometheus-test-folder.js';

let dir: TempDir;
let broker: TestBroker;
let db: TestInfluxDatabase;
let write: TestWriteService | undefined;
let fleet: Fleet;
let fleetMetrics: MetricsServer;
let prometheus: RunningPrometheus;
let prometheusFolder: PrometheusTestFolder;

const startWrite = (influxUrl?: string): Promise<TestWriteService> =>
  startTestWriteService({ journalPath: broker.config.journalPath, database: db.database, deadLetterPath: dir.join('write-dead-letters'), influxUrl });

function targets(): ScrapeTarget[] {
  const list: ScrapeTarget[] = [
    { job: 'broker', port: broker.addresses.metricsPort },
    { job: 'fleet', port: fleetMetrics.port },
  ];
  return write ? [...list, { job: 'write', port: write.metricsPort }] : list;
}

beforeAll(async () => {
  dir = makeTempDir('prom-alerts');
  broker = await startTestBroker();
  db = await createTestInfluxDatabase('promalerts');
  write = await startWrite();
  const registry = createProcessRegistry({ process: 'device-fleet' });
  fleet = await startFleet({ brokerUrl: broker.mqttUrl, dataDir: dir.join('fleet'), agents: 5, publishIntervalMs: 100, devices: 2, recordProduction: false, registry, log: silentLogger() });
  fleetMetrics = await startMetricsServer({ registry, port: 0 });
  prometheusFolder = await createPrometheusTestFolder();
  prometheus = await startPrometheus({ dataDir: prometheusFolder.dataDir, targets: targets(), scrapeIntervalMs: 500, evaluationIntervalMs: 500, alertForMs: 2_000 });
});

afterAll(async () => {
  await prometheusFolder?.remove();
  await fleet?.stop();
  await fleetMetrics?.close();
  await write?.stop();
  await broker?.dispose();
  await db?.drop();
  dir?.remove();
});

const firing = async (alertname: string, labels: Record<string, string> = {}): Promise<PromAlert | undefined> =>
  (await listAlerts(prometheus.url)).find(
    (alert) => alert.state === 'firing' && alert.labels.alertname === alertname && Object.entries(labels).every(([k, v]) => alert.labels[k] === v),
  );
const value = async (promql: string): Promise<number | undefined> => (await queryPrometheus(prometheus.url, promql))[0]?.value;
const poll = { timeout: 90_000, interval: 250 };

describe('alerts on live data', () => {
  it('when the pipeline runs, then Prometheus scrapes broker, write service and fleet, and readings are stored', async () => {
    for (const job of ['broker', 'write', 'fleet']) await expect.poll(() => value(`up{job="${job}"}`), poll).toBe(1);
    await expect.poll(async () => (await value('em_write_batches_total')) ?? 0, poll).toBeGreaterThan(0);
    await expect.poll(() => value('sum(em_agent_connected)'), poll).toBe(5);
  });

  it('when the operator page queries run, then Prometheus evaluates each and ingest has numbers', async () => {
    for (const query of OPERATOR_QUERIES) await expect(queryPrometheus(prometheus.url, query.expr), query.id).resolves.toBeInstanceOf(Array);
    const expr = (id: string) => OPERATOR_QUERIES.find((query) => query.id === id)?.expr ?? '';
    await expect.poll(async () => (await value(expr('ingest-rate'))) ?? 0, poll).toBeGreaterThan(0);
    await expect.poll(async () => (await value(expr('points-stored'))) ?? 0, poll).toBeGreaterThan(0);
    await expect.poll(() => value(expr('connected-agents')), poll).toBe(5);
  });

  it('when the write service stops, then JournalLagGrowing (and ProcessDown for it) fire in Prometheus', async () => {
    const stoppedAtMs = Date.now();
    await write?.stop();
    write = undefined; // its target stays listed: a stopped process must show up as down
    await expect.poll(() => firing('JournalLagGrowing', { job: 'broker' }), poll).toBeTruthy();
    // Caused by the stop, not left over from the healthy phase: it became active after it.
    const lag = await firing('JournalLagGrowing', { job: 'broker' });
    expect(Date.parse(lag?.activeAt ?? '')).toBeGreaterThanOrEqual(stoppedAtMs - 1_000);
    await expect.poll(() => firing('ProcessDown', { job: 'write' }), poll).toBeTruthy();
    expect(broker.journal.depth().entries).toBeGreaterThan(0);
  });

  it('when a write service starts again, then the journal drains and JournalLagGrowing resolves', async () => {
    write = await startWrite();
    await prometheus.setTargets(targets());
    await expect.poll(() => broker.journal.depth().entries, poll).toBeLessThan(50);
    await expect.poll(async () => (await firing('JournalLagGrowing')) === undefined, poll).toBe(true);
  });

  it('when its InfluxDB goes down, then Prometheus (which needs no InfluxDB) keeps alerting: ProcessNotReady and InfluxWriteErrors', async () => {
    // A private influxd for this write service, so stopping it leaves the shared test server alone.
    const influx = await startInfluxdb({ dataDir: prometheusFolder.sibling('influxdb') });
    await write?.stop();
    write = await startWrite(influx.url);
    await prometheus.setTargets(targets());
    await expect.poll(() => value(`em_readiness_check_ok{job="write",check="influxdb"}`), poll).toBe(1);
    await influx.stop();
    await expect.poll(() => firing('ProcessNotReady', { job: 'write', check: 'influxdb' }), poll).toBeTruthy();
    await expect.poll(() => firing('InfluxWriteErrors', { job: 'write', kind: 'retryable' }), poll).toBeTruthy();
  });
});
