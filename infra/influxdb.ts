// A private InfluxDB 1.x (Debian's influxdb package) in its own folder on probed loopback ports.
// One folder = one server: start is idempotent (a live influxd recorded in the folder is reused),
// and stop works from the folder alone, so the CLI can stop what an earlier process started.
import { mkdir, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { z } from 'zod';
import { anyExists, ensureAptPackage } from './apt.js';
import { findFreePort } from './free-port.js';
import { renderInfluxdbConfig } from './influxdb-config.js';
import { pingInflux, postInfluxQuery, quoteInfluxDatabaseName } from './influx-http.js';
import { isProcessAlive, PortInUseError, readLogTail, readStateFile, runsProgram, spawnDetached, stopRecordedServer, waitUntil } from './process-tools.js';

export type RunningInfluxdb = {
  url: string;
  httpPort: number;
  pid: number;
  dataDir: string;
  stop(): Promise<void>;
};

export type StartInfluxdbOptions = {
  dataDir: string;
  /** 0 or undefined: probe a free port. Ignored when the folder's influxd is already running. */
  httpPort?: number;
};

const INFLUXD_PATHS = ['/usr/bin/influxd', '/usr/local/bin/influxd'];
const START_TIMEOUT_MS = 30_000;
const stateSchema = z.object({ pid: z.number().int(), httpPort: z.number().int(), rpcPort: z.number().int() });
type InfluxdbState = z.infer<typeof stateSchema>;

const files = (dataDir: string) => ({
  state: join(dataDir, 'influxd.pid.json'),
  config: join(dataDir, 'influxdb.conf'),
  log: join(dataDir, 'influxd.log'),
});

export async function ensureInfluxdbInstalled(): Promise<void> {
  await ensureAptPackage('influxdb', () => anyExists(INFLUXD_PATHS));
}

export async function startInfluxdb(options: StartInfluxdbOptions): Promise<RunningInfluxdb> {
  await ensureInfluxdbInstalled();
  const dataDir = resolve(options.dataDir);
  await mkdir(dataDir, { recursive: true, mode: 0o700 });
  const running = await findRunningInfluxdb(dataDir);
  if (running) return running;
  // A probed port can be grabbed before influxd binds it; probe again rather than fail.
  for (let attempt = 1; ; attempt += 1) {
    const httpPort = options.httpPort || (await findFreePort());
    try {
      return await launchInfluxd(dataDir, httpPort);
    } catch (error) {
      // Retrying cannot help when the taken port is the one the caller insisted on.
      const retry = error instanceof PortInUseError && error.port !== options.httpPort && attempt < 3;
      if (!retry) throw error;
    }
  }
}

/** The live influxd recorded in `dataDir` that answers /ping, if any. */
export async function findRunningInfluxdb(dataDir: string): Promise<RunningInfluxdb | undefined> {
  const absolute = resolve(dataDir);
  const state = await readState(absolute);
  if (!state || !(await isOurInfluxd(state.pid))) return undefined;
  if (!(await pingInflux(`http://127.0.0.1:${state.httpPort}`))) return undefined;
  return handle(absolute, state);
}

/** Stops the influxd recorded in `dataDir` (SIGTERM, SIGKILL after 10 s); a no-op if none runs. */
export function stopInfluxdb(dataDir: string): Promise<void> {
  return stopRecordedServer(files(resolve(dataDir)).state, 'influxd');
}

/** CREATE DATABASE; InfluxDB 1.x treats an existing database as success. */
export async function createInfluxDatabase(url: string, name: string): Promise<void> {
  await postInfluxQuery(url, `CREATE DATABASE ${quoteInfluxDatabaseName(name)}`);
}

/** DROP DATABASE; dropping a missing database is also success in 1.x. */
export async function dropInfluxDatabase(url: string, name: string): Promise<void> {
  await postInfluxQuery(url, `DROP DATABASE ${quoteInfluxDatabaseName(name)}`);
}

async function launchInfluxd(dataDir: string, httpPort: number): Promise<RunningInfluxdb> {
  const paths = files(dataDir);
  const rpcPort = await findFreePortOtherThan(httpPort);
  await writeFile(paths.config, renderInfluxdbConfig({ dataDir, httpPort, rpcPort }));
  const pid = await spawnDetached({ paths: INFLUXD_PATHS, command: 'influxd' }, ['run', '-config', paths.config], paths.log, dataDir);
  const state: InfluxdbState = { pid, httpPort, rpcPort };
  await writeFile(paths.state, `${JSON.stringify(state)}\n`);
  const url = `http://127.0.0.1:${httpPort}`;
  const up = await waitUntil(async () => !(await isProcessAlive(pid)) || (await pingInflux(url, 500)), START_TIMEOUT_MS);
  if (up && (await isProcessAlive(pid))) return handle(dataDir, state);
  await stopInfluxdb(dataDir);
  const tail = await readLogTail(paths.log);
  const reason = up ? 'influxd exited' : `no 204 from ${url}/ping within ${START_TIMEOUT_MS / 1000} s`;
  const message = `InfluxDB did not start in ${dataDir}: ${reason}. Tail of ${paths.log}:\n${tail}`;
  // influxd logs e.g. "listen tcp 127.0.0.1:8088: bind: address already in use" (HTTP or RPC port).
  const taken = /listen tcp [\d.]+:(\d+): bind: address already in use/.exec(tail.slice(tail.lastIndexOf('--- ')));
  throw taken?.[1] ? new PortInUseError(message, Number(taken[1])) : new Error(message);
}

async function findFreePortOtherThan(taken: number): Promise<number> {
  for (;;) {
    const port = await findFreePort();
    if (port !== taken) return port;
  }
}

function isOurInfluxd(pid: number): Promise<boolean> {
  return runsProgram(pid, 'influxd');
}

function readState(dataDir: string): Promise<InfluxdbState | undefined> {
  return readStateFile(files(dataDir).state, stateSchema);
}

function handle(dataDir: string, state: InfluxdbState): RunningInfluxdb {
  return {
    url: `http://127.0.0.1:${state.httpPort}`,
    httpPort: state.httpPort,
    pid: state.pid,
    dataDir,
    stop: () => stopInfluxdb(dataDir),
  };
}
