// A server that is alive but does not answer (busy, hung; here SIGSTOP) is still its folder's
// server: start must not run a second one on the same data, status and stop must find it.
// Regression tests for the acceptance finding "start launches a second influxd on the same folder".
import { chmod, copyFile, mkdir, readdir, readFile, stat, symlink } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startAlertmanager } from '../alertmanager.js';
import { findInfluxdbProcess, findRunningInfluxdb, startInfluxdb, stopInfluxdb, type RunningInfluxdb } from '../influxdb.js';
import { startMosquitto } from '../mosquitto.js';
import { findPostgresProcess, findRunningPostgres, startPostgres, stopPostgres } from '../postgres.js';
import { isProcessAlive, processArgs, stateOfStat } from '../process-tools.js';
import { findPrometheusProcess, startPrometheus } from '../prometheus.js';
import { createPrometheusTestFolder, type PrometheusTestFolder } from './prometheus-test-folder.js';
import { runInfraCli } from './run-infra-cli.js';

let folder: PrometheusTestFolder;
let root: string;
const paused = new Set<number>();

/** The state letter of each thread of `pid` (/proc/<pid>/task/<tid>/stat): "T" once stopped. */
async function threadStates(pid: number): Promise<string[]> {
  const tids = await readdir(`/proc/${pid}/task`).catch(() => []);
  const stats = await Promise.all(tids.map((tid) => readFile(`/proc/${pid}/task/${tid}/stat`, 'utf8').catch(() => '')));
  return stats.filter((stat) => stat !== '').map(stateOfStat);
}

/**
 * SIGSTOP, then waits until every thread has stopped: kill() only queues a stop, and a busy CI
 * machine once let influxd answer a /ping 53 ms after it (the test then saw it answering).
 */
const pause = async (pid: number): Promise<void> => {
  process.kill(pid, 'SIGSTOP');
  paused.add(pid);
  for (let waitedMs = 0; waitedMs < 10_000; waitedMs += 10) {
    const states = await threadStates(pid);
    if (states.length > 0 && states.every((state) => state === 'T')) return;
    await sleep(10);
  }
  throw new Error(`pid ${pid} did not stop within 10 s of SIGSTOP: ${(await threadStates(pid)).join('')}`);
};
const resume = (pid: number): void => {
  process.kill(pid, 'SIGCONT');
  paused.delete(pid);
};

/** Every process whose command line has `arg` (a folder's config): one server per folder. */
async function processesWith(arg: string): Promise<number[]> {
  const pids = (await readdir('/proc')).filter((entry) => /^\d+$/.test(entry)).map(Number);
  const matches = await Promise.all(pids.map(async (pid) => ((await processArgs(pid))?.includes(arg) ? pid : undefined)));
  return matches.filter((pid): pid is number => pid !== undefined);
}

/** Content and mtime of files a failed start must leave alone. */
const snapshot = (dir: string, names: readonly string[]) =>
  Promise.all(names.map(async (name) => ({ name, text: await readFile(join(dir, name), 'utf8'), mtimeMs: (await stat(join(dir, name))).mtimeMs })));

beforeAll(async () => {
  folder = await createPrometheusTestFolder();
  root = dirname(folder.dataDir);
  await chmod(root, 0o755); // the postgres OS user must be able to enter it
});

afterAll(async () => {
  for (const pid of paused) process.kill(pid, 'SIGCONT');
  await stopPostgres(join(root, 'postgres'));
  await folder?.remove();
});

describe('an InfluxDB that does not answer', () => {
  let influx: RunningInfluxdb;
  let dataDir: string;

  beforeAll(async () => {
    dataDir = folder.sibling('influxdb');
    influx = await startInfluxdb({ dataDir });
  });

  it('when start finds it, then it fails naming the pid and leaves the folder and the process as they were', async () => {
    const before = await snapshot(dataDir, ['influxd.pid.json', 'influxdb.conf']);
    await pause(influx.pid);
    await expect(startInfluxdb({ dataDir, answerTimeoutMs: 1_000 })).rejects.toThrow(
      `influxd pid ${influx.pid} for ${dataDir} is running but not answering /ping on port ${influx.httpPort}; stop it first`,
    );
    expect(await snapshot(dataDir, ['influxd.pid.json', 'influxdb.conf'])).toEqual(before);
    expect(await processesWith(join(dataDir, 'influxdb.conf'))).toEqual([influx.pid]);
  });

  it('when status asks, then it is found through its pid as running but not answering (exit 3)', async () => {
    expect(await findRunningInfluxdb(dataDir)).toBeUndefined();
    expect(await findInfluxdbProcess(dataDir)).toEqual({ pid: influx.pid, httpPort: influx.httpPort, dataDir });
    const status = await runInfraCli(['status', 'influxdb', '--data-dir', root]);
    expect(status.code).toBe(3);
    expect(JSON.parse(status.stdout)).toEqual({ influxdb: { running: true, answering: false, pid: influx.pid, httpPort: influx.httpPort, dataDir } });
  });

  it('when the CLI start waits and it answers again, then the CLI reuses it', async () => {
    const start = runInfraCli(['start', 'influxdb', '--data-dir', root]);
    await sleep(2_000);
    resume(influx.pid);
    const result = await start;
    expect(result.code, result.stderr).toBe(0);
    expect(JSON.parse(result.stdout)).toMatchObject({ influxdb: { pid: influx.pid, url: influx.url } });
    expect(await processesWith(join(dataDir, 'influxdb.conf'))).toEqual([influx.pid]);
  });

  it("when another folder's pid file names it (a reused pid), then that folder neither reuses nor stops it", async () => {
    const other = folder.sibling('influxdb-copy');
    await mkdir(other);
    await copyFile(join(dataDir, 'influxd.pid.json'), join(other, 'influxd.pid.json'));
    expect(await findInfluxdbProcess(other)).toBeUndefined();
    await stopInfluxdb(other);
    expect(await isProcessAlive(influx.pid)).toBe(true);
  });

  it('when its folder is named through a symlink, then it is still found as the folder\'s server', async () => {
    const link = folder.sibling('influxdb-link');
    await symlink(dataDir, link);
    expect(await findInfluxdbProcess(link)).toEqual({ pid: influx.pid, httpPort: influx.httpPort, dataDir: link });
  });

  it('when stop is asked while it is stopped (SIGSTOP), then it ends within the grace period', async () => {
    await pause(influx.pid);
    const startedAt = Date.now();
    await stopInfluxdb(dataDir);
    paused.delete(influx.pid);
    expect(await isProcessAlive(influx.pid)).toBe(false);
    expect(Date.now() - startedAt).toBeLessThan(8_000);
  });
});

describe('a PostgreSQL that does not answer', () => {
  it('when start finds it, then it fails naming the pid; status finds it; stop still stops it', async () => {
    const dataDir = join(root, 'postgres');
    const first = await startPostgres({ dataDir, fsync: false });
    const found = await findPostgresProcess(dataDir);
    expect(found).toEqual({ pid: expect.any(Number) as number, port: first.port, dataDir });
    const pid = found?.pid ?? 0;
    await pause(pid);
    await expect(startPostgres({ dataDir, fsync: false, answerTimeoutMs: 1_000 })).rejects.toThrow(
      `postgres pid ${pid} for ${dataDir} is running but not answering connections on port ${first.port}; stop it first`,
    );
    expect(await findRunningPostgres(dataDir)).toBeUndefined();
    expect(await findPostgresProcess(dataDir)).toEqual(found);
    await stopPostgres(dataDir); // pg_ctl's SIGINT would wait for a SIGCONT that never comes
    paused.delete(pid);
    expect(await isProcessAlive(pid)).toBe(false);
  });
});

describe('a Prometheus or Alertmanager that does not answer', () => {
  it('when Prometheus start finds it, then it fails naming the pid before rewriting its files', async () => {
    const options = { dataDir: folder.dataDir, targets: [], scrapeIntervalMs: 1_000, evaluationIntervalMs: 1_000 };
    const first = await startPrometheus(options);
    const before = await snapshot(folder.dataDir, ['prometheus.pid.json', 'prometheus.yml', 'targets.json']);
    await pause(first.pid);
    await expect(startPrometheus({ ...options, answerTimeoutMs: 1_000 })).rejects.toThrow(
      `prometheus pid ${first.pid} for ${folder.dataDir} is running but not answering /-/ready on port ${first.port}; stop it first`,
    );
    expect(await snapshot(folder.dataDir, ['prometheus.pid.json', 'prometheus.yml', 'targets.json'])).toEqual(before);
    expect(await findPrometheusProcess(folder.dataDir)).toEqual({ pid: first.pid, port: first.port });
    await first.stop();
    paused.delete(first.pid);
    expect(await isProcessAlive(first.pid)).toBe(false);
  });

  it('when Alertmanager start finds it, then it fails naming the pid before rewriting its configuration', async () => {
    const dataDir = folder.sibling('alertmanager');
    const first = await startAlertmanager({ dataDir });
    const before = await snapshot(dataDir, ['alertmanager.pid.json', 'alertmanager.yml']);
    await pause(first.pid);
    await expect(startAlertmanager({ dataDir, answerTimeoutMs: 1_000 })).rejects.toThrow(
      `prometheus-alertmanager pid ${first.pid} for ${dataDir} is running but not answering /-/ready on port ${first.port}; stop it first`,
    );
    expect(await snapshot(dataDir, ['alertmanager.pid.json', 'alertmanager.yml'])).toEqual(before);
    await first.stop();
    paused.delete(first.pid);
    expect(await isProcessAlive(first.pid)).toBe(false);
  });
});

describe('a Mosquitto already running in the folder', () => {
  it('when started again on the folder, then start refuses and the running one is left alone', async () => {
    const dataDir = folder.sibling('mosquitto');
    const first = await startMosquitto({ dataDir });
    try {
      await expect(startMosquitto({ dataDir })).rejects.toThrow(`mosquitto pid ${first.pid} for ${dataDir} is already running (port ${first.port}); stop it first`);
      expect(await processesWith(join(dataDir, 'mosquitto.conf'))).toEqual([first.pid]);
    } finally {
      await first.stop();
    }
    const again = await startMosquitto({ dataDir });
    await again.stop();
  });
});
