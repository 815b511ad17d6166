// Prometheus and Alertmanager are run the same way: Go servers of the Prometheus project, detached
// from us with their output in a log file, ready when GET /-/ready answers 200, reconfigured by
// POST /-/reload. What differs (arguments, files, binary) stays in prometheus.ts and alertmanager.ts.
import { isProcessAlive, PortInUseError, readLogTail, spawnDetached, waitUntil } from './process-tools.js';

export interface DaemonProgram {
  /** How messages and the log name it, e.g. "Prometheus". */
  readonly label: string;
  /** Absolute paths tried in order; the bare command name when none exists. */
  readonly paths: readonly string[];
  readonly command: string;
}

const START_TIMEOUT_MS = 30_000;

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
