// A private InfluxDB 1.x (Debian's influxdb package) in its own folder on probed loopback ports.
// One folder = one server: start is idempotent (a live influxd recorded in the folder is reused,
// and never joined by a second one, even while it does not answer; see recorded-server.ts), and
// stop works from the folder alone, so the CLI can stop what an earlier process started.
import { writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { z } from 'zod';
import { anyExists, ensureAptPackage } from './apt.js';
import { findFreePort } from './free-port.js';
import { renderInfluxdbConfig } from './influxdb-config.js';
import { pingInflux, postInfluxQuery, quoteInfluxDatabaseName } from './influx-http.js';
import { makePrivateFolder } from './private-folder.js';
import { isProcessAlive, PortInUseError, readLogTail, readStateFile, spawnDetached, waitUntil } from './process-tools.js';
import { isServerProcess, ServerNotAnsweringError, stopRecordedServer, waitForAnswer, type ServerProcess } from './recorded-server.js';

export type RunningInfluxdb = {
  url: string;
  httpPort: number;
  /** The RPC (backup/restore) port, bound to loopback (influxdb-config.ts): `influxd backup -host 127.0.0.1:<rpcPort>`. */
  rpcPort: number;
  pid: number;
  dataDir: string;
  stop(): Promise<void>;
};

export type StartInfluxdbOptions = {
  dataDir: string;
  /** 0 or undefined: probe a free port. Ignored when the folder's influxd is already running. */
  httpPort?: number;
  /**
   * How long an influxd already running in the folder may take to answer /ping (it may be starting,
   * or busy) before start fails rather than run a second one on the same data. Default 30 s.
   */
  answerTimeoutMs?: number;
};

/** The folder's influxd as its pid file records it, answering or not. */
export type InfluxdbProcess = { pid: number; httpPort: number; dataDir: string };

export const INFLUXD_PATHS = ['/usr/bin/influxd', '/usr/local/bin/influxd'];
const START_TIMEOUT_MS = 30_000;
const stateSchema = z.object({ pid: z.number().int(), httpPort: z.number().int(), rpcPort: z.number().int() });
type InfluxdbState = z.infer<typeof stateSchema>;

const files = (dataDir: string) => ({
  state: join(dataDir, 'influxd.pid.json'),
  config: join(dataDir, 'influxdb.conf'),
  log: join(dataDir, 'influxd.log'),
});
const influxd = (dataDir: string): ServerProcess => ({ program: 'influxd', configArg: files(dataDir).config });

export async function ensureInfluxdbInstalled(): Promise<void> {
  await ensureAptPackage('influxdb', () => anyExists(INFLUXD_PATHS));
}

export async function startInfluxdb(options: StartInfluxdbOptions): Promise<RunningInfluxdb> {
  await ensureInfluxdbInstalled();
  const dataDir = resolve(options.dataDir);
  await makePrivateFolder(dataDir);
  const recorded = await readLiveState(dataDir);
  if (recorded) {
    const running = await awaitAnswer(dataDir, recorded, options.answerTimeoutMs ?? START_TIMEOUT_MS);
    if (running) return running; // else it exited while we waited: start a new one
  }
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
  const state = await readLiveState(absolute);
  if (!state || !(await pingInflux(`http://127.0.0.1:${state.httpPort}`))) return undefined;
  return handle(absolute, state);
}

/** The live influxd recorded in `dataDir`, whether it answers or not (status, and start's guard). */
export async function findInfluxdbProcess(dataDir: string): Promise<InfluxdbProcess | undefined> {
  const absolute = resolve(dataDir);
  const state = await readLiveState(absolute);
  return state && { pid: state.pid, httpPort: state.httpPort, dataDir: absolute };
}

/** Stops the influxd recorded in `dataDir` (SIGTERM, SIGKILL after 10 s), answering or not; a no-op if none runs. */
export function stopInfluxdb(dataDir: string): Promise<void> {
  const absolute = resolve(dataDir);
  return stopRecordedServer(files(absolute).state, influxd(absolute));
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

/** The running influxd of `dataDir` once it answers; undefined when it exits meanwhile; throws when it stays silent. */
async function awaitAnswer(dataDir: string, state: InfluxdbState, timeoutMs: number): Promise<RunningInfluxdb | undefined> {
  const url = `http://127.0.0.1:${state.httpPort}`;
  const outcome = await waitForAnswer(state.pid, influxd(dataDir), () => pingInflux(url, 500), timeoutMs);
  if (outcome === 'exited') return undefined;
  if (outcome === 'silent') throw new ServerNotAnsweringError(state.pid, 'influxd', dataDir, `/ping on port ${state.httpPort}`);
  return handle(dataDir, state);
}

/** The pid file's state while its pid is this folder's influxd (not a reused pid), else undefined. */
async function readLiveState(dataDir: string): Promise<InfluxdbState | undefined> {
  const state = await readStateFile(files(dataDir).state, stateSchema);
  return state && (await isServerProcess(state.pid, influxd(dataDir))) ? state : undefined;
}

function handle(dataDir: string, state: InfluxdbState): RunningInfluxdb {
  return {
    url: `http://127.0.0.1:${state.httpPort}`,
    httpPort: state.httpPort,
    rpcPort: state.rpcPort,
    pid: state.pid,
    dataDir,
    stop: () => stopInfluxdb(dataDir),
  };
}
