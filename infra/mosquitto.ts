// A private Mosquitto (Debian's mosquitto package, installed with apt when missing) in its own
// folder on a probed loopback port: the comparison broker for loadtest/perftest. It runs as a
// child of the starting process and is stopped by it; its pid is recorded in the folder only so
// that a second start there refuses (two brokers would share one persistence file).
import { spawn, type ChildProcess } from 'node:child_process';
import { rm, writeFile } from 'node:fs/promises';
import { connect } from 'node:net';
import { join, resolve } from 'node:path';
import { anyExists, ensureAptPackage } from './apt.js';
import { findFreePort } from './free-port.js';
import { renderMosquittoConfig } from './mosquitto-config.js';
import { z } from 'zod';
import { makePrivateFolder } from './private-folder.js';
import { PortInUseError, readLogTail, readStateFile, waitUntil } from './process-tools.js';
import { isServerProcess, type ServerProcess } from './recorded-server.js';
import { isRoot } from './run-command.js';

const MOSQUITTO_PATHS = ['/usr/sbin/mosquitto', '/usr/bin/mosquitto', '/usr/local/sbin/mosquitto'];
const START_TIMEOUT_MS = 10_000;
const stateSchema = z.object({ pid: z.number().int(), port: z.number().int() });
const files = (dataDir: string) => ({
  config: join(dataDir, 'mosquitto.conf'),
  log: join(dataDir, 'mosquitto.log'),
  state: join(dataDir, 'mosquitto.pid.json'),
});
const mosquittoProcess = (dataDir: string): ServerProcess => ({ program: 'mosquitto', configArg: files(dataDir).config });

export interface RunningMosquitto {
  readonly url: string;
  readonly port: number;
  readonly pid: number;
  readonly dataDir: string;
  stop(): Promise<void>;
}

export async function ensureMosquittoInstalled(): Promise<void> {
  await ensureAptPackage('mosquitto', () => anyExists(MOSQUITTO_PATHS));
}

export async function startMosquitto(options: { readonly dataDir: string }): Promise<RunningMosquitto> {
  await ensureMosquittoInstalled();
  const dataDir = resolve(options.dataDir);
  await makePrivateFolder(dataDir);
  await refuseIfRunning(dataDir);
  // A probed port can be taken before Mosquitto binds it: probe again rather than fail.
  for (let attempt = 1; ; attempt++) {
    try {
      return await launch(dataDir, await findFreePort());
    } catch (error) {
      if (!(error instanceof PortInUseError) || attempt >= 3) throw error;
    }
  }
}

/** A live Mosquitto recorded in the folder, answering or not, belongs to whoever started it. */
async function refuseIfRunning(dataDir: string): Promise<void> {
  const state = await readStateFile(files(dataDir).state, stateSchema);
  if (state && (await isServerProcess(state.pid, mosquittoProcess(dataDir)))) {
    throw new Error(`mosquitto pid ${state.pid} for ${dataDir} is already running (port ${state.port}); stop it first`);
  }
}

async function launch(dataDir: string, port: number): Promise<RunningMosquitto> {
  const { config, log, state } = files(dataDir);
  await writeFile(config, renderMosquittoConfig({ port, dataDir, runAsRoot: isRoot() }));
  const binary = MOSQUITTO_PATHS.find((path) => anyExists([path])) ?? 'mosquitto';
  const child = spawn(binary, ['-c', config], { cwd: dataDir, stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  child.stderr?.on('data', (chunk: Buffer) => (stderr = (stderr + chunk.toString()).slice(-4000)));
  const pid = await new Promise<number>((resolvePid, reject) => {
    child.once('error', (error) => reject(new Error(`cannot run ${binary}: ${error.message}`)));
    child.once('spawn', () => (child.pid ? resolvePid(child.pid) : reject(new Error(`${binary}: no pid`))));
  });
  await writeFile(state, `${JSON.stringify({ pid, port })}\n`);
  const stop = async (): Promise<void> => {
    await stopChild(child);
    await rm(state, { force: true });
  };
  const exitedEarly = (): boolean => child.exitCode !== null || child.signalCode !== null;
  const up = await waitUntil(async () => exitedEarly() || (await accepts(port)), START_TIMEOUT_MS);
  if (up && !exitedEarly()) return { url: `mqtt://127.0.0.1:${port}`, port, pid, dataDir, stop };
  await stop();
  const tail = `${await readLogTail(log)}\n${stderr}`.trim();
  const message = `Mosquitto did not start on port ${port} (${up ? 'it exited' : `not listening within ${START_TIMEOUT_MS / 1000} s`}):\n${tail}`;
  throw /address already in use/i.test(tail) ? new PortInUseError(message) : new Error(message);
}

function accepts(port: number): Promise<boolean> {
  return new Promise((resolveAccepts) => {
    const socket = connect({ port, host: '127.0.0.1' });
    socket.once('connect', () => {
      socket.destroy();
      resolveAccepts(true);
    });
    socket.once('error', () => resolveAccepts(false));
  });
}

/** SIGTERM (Mosquitto saves its persistence file on the way out), SIGKILL after 10 s. */
async function stopChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise<void>((r) => child.once('exit', () => r()));
  child.kill('SIGTERM');
  child.kill('SIGCONT'); // a stopped one (SIGSTOP) could not act on SIGTERM
  const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
  await exited;
  clearTimeout(timer);
}
