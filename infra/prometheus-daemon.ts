// Prometheus and Alertmanager are run the same way: Go servers of the Prometheus project, detached
// from us with their output in a log file, ready when GET /-/ready answers 200, reconfigured by
// POST /-/reload, found again through a pid file ({pid, port}). What differs (arguments, files,
// binary) stays in prometheus.ts and alertmanager.ts.
import { z } from 'zod';
import { isProcessAlive, PortInUseError, readLogTail, readStateFile, spawnDetached, waitUntil } from './process-tools.js';
import { isServerProcess, ServerNotAnsweringError, waitForAnswer, type ServerProcess } from './recorded-server.js';

export interface DaemonProgram {
  /** How messages and the log name it, e.g. "Prometheus". */
  readonly label: string;
  /** Absolute paths tried in order; the bare command name when none exists. */
  readonly paths: readonly string[];
  readonly command: string;
}

const START_TIMEOUT_MS = 30_000;
const stateSchema = z.object({ pid: z.number().int(), port: z.number().int() });
/** What the daemon's pid file holds. */
export type DaemonState = z.infer<typeof stateSchema>;

/**
 * Starts `program` detached (it outlives us: `npm start` may end while it runs) and waits until it
 * answers /-/ready at `url`; on failure stops it and throws with the tail of its log.
 */
export async function launchDaemon(
  program: DaemonProgram,
  options: {
    readonly args: readonly string[];
    readonly url: string;
    readonly dataDir: string;
    readonly logPath: string;
    /** Records the pid where `stop` finds it, before the wait: a daemon that never gets ready is stopped too. */
    readonly recordPid: (pid: number) => Promise<void>;
    readonly stop: () => Promise<void>;
  },
): Promise<number> {
  const pid = await spawnDetached(program, options.args, options.logPath, options.dataDir);
  await options.recordPid(pid);
  const up = await waitUntil(async () => !(await isProcessAlive(pid)) || (await isDaemonReady(options.url)), START_TIMEOUT_MS);
  if (up && (await isProcessAlive(pid))) return pid;
  await options.stop();
  const tail = await readLogTail(options.logPath);
  const reason = up ? `${program.command} exited` : `${options.url}/-/ready not 200 within ${START_TIMEOUT_MS / 1000} s`;
  const message = `${program.label} did not start in ${options.dataDir}: ${reason}. Tail of ${options.logPath}:\n${tail}`;
  // Only this start's part of the log counts: an old "address already in use" is not news.
  throw /address already in use/.test(tail.slice(tail.lastIndexOf('--- '))) ? new PortInUseError(message) : new Error(message);
}

/** The daemon's pid file while its pid is `server` (the folder's daemon, not a reused pid), else undefined. */
export async function readLiveDaemonState(statePath: string, server: ServerProcess): Promise<DaemonState | undefined> {
  const state = await readStateFile(statePath, stateSchema);
  return state && (await isServerProcess(state.pid, server)) ? state : undefined;
}

/**
 * The folder's live daemon once it is ready; undefined when none runs (or it exits while we wait);
 * throws when it stays unready for `timeoutMs`: the caller must not start a second one beside it.
 */
export async function awaitReadyDaemon(statePath: string, server: ServerProcess, dataDir: string, timeoutMs: number): Promise<DaemonState | undefined> {
  const state = await readLiveDaemonState(statePath, server);
  if (!state) return undefined;
  const outcome = await waitForAnswer(state.pid, server, () => isDaemonReady(`http://127.0.0.1:${state.port}`), timeoutMs);
  if (outcome === 'silent') throw new ServerNotAnsweringError(state.pid, server.program, dataDir, `/-/ready on port ${state.port}`);
  return outcome === 'answering' ? state : undefined;
}

export async function isDaemonReady(url: string): Promise<boolean> {
  try {
    const response = await fetch(`${url}/-/ready`, { signal: AbortSignal.timeout(500) });
    await response.body?.cancel();
    return response.status === 200;
  } catch {
    return false;
  }
}

/** Makes the running daemon read its configuration files again. */
export async function reloadDaemon(program: DaemonProgram, url: string): Promise<void> {
  const response = await fetch(`${url}/-/reload`, { method: 'POST', signal: AbortSignal.timeout(10_000) });
  const body = await response.text();
  if (!response.ok) throw new Error(`${program.label} at ${url} refused the new configuration: ${response.status} ${body}`);
}
