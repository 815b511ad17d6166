// A real Prometheus from infra/prometheus.ts in a private folder: it scrapes our metrics server,
// notices new targets without a restart, fires ProcessDown when a target goes away, and a second
// start on the same folder reuses the running server.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createProcessRegistry, startMetricsServer, type MetricsServer } from '../../lib/metrics/metrics-server.js';
import { listAlerts, queryPrometheus } from '../prometheus-api.js';
import { startPrometheus, type RunningPrometheus } from '../prometheus.js';
import { createPrometheusTestFolder, type PrometheusTestFolder } from './prometheus-test-folder.js';

let folder: PrometheusTestFolder;
let prometheus: RunningPrometheus;
let first: MetricsServer;
let second: MetricsServer | undefined;

beforeAll(async () => {
  folder = await createPrometheusTestFolder();
  first = await startMetricsServer({ registry: createProcessRegistry({ process: 'first' }), port: 0 });
  prometheus = await startPrometheus({
    dataDir: folder.dataDir,
    targets: [{ job: 'first', port: first.port }],
    scrapeIntervalMs: 500,
    evaluationIntervalMs: 500,
    alertForMs: 1_000,
  });
});

afterAll(async () => {
  await first?.close();
  await second?.close();
  await folder?.remove();
});

const upOf = async (job: string): Promise<number | undefined> =>
  (await queryPrometheus(prometheus.url, `up{job="${job}"}`))[0]?.value;

describe('infra/prometheus', () => {
  it('when started with a target, then Prometheus scrapes it under its job label', async () => {
    await expect.poll(() => upOf('first'), { timeout: 30_000, interval: 250 }).toBe(1);
  });

  it('when the targets change, then the new process is scraped without a restart', async () => {
    second = await startMetricsServer({ registry: createProcessRegistry({ process: 'second' }), port: 0 });
    await prometheus.setTargets([{ job: 'first', port: first.port }, { job: 'second', port: second.port }]);
    await expect.poll(() => upOf('second'), { timeout: 60_000, interval: 250 }).toBe(1);
  });

  it('when a target stops answering, then ProcessDown fires for it', async () => {
    await second?.close();
    second = undefined;
    const firing = async () =>
      (await listAlerts(prometheus.url)).some((a) => a.labels.alertname === 'ProcessDown' && a.labels.job === 'second' && a.state === 'firing');
    await expect.poll(firing, { timeout: 60_000, interval: 250 }).toBe(true);
  });

  it('when started again on the same folder, then the running server is reused and reloaded', async () => {
    const again = await startPrometheus({ dataDir: folder.dataDir, targets: [{ job: 'first', port: first.port }], scrapeIntervalMs: 500, evaluationIntervalMs: 500, alertForMs: 1_000 });
    expect(again.pid).toBe(prometheus.pid);
    expect(again.port).toBe(prometheus.port);
  });
});
