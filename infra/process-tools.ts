// Helpers for servers we start detached and later find again from a pid file, possibly from
// another process (the CLI) — so "alive" cannot rely on holding a ChildProcess handle.
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { open, readFile } from 'node:fs/promises';
import { setTimeout as sleep } from 'node:timers/promises';
import { z } from 'zod';

/** True when `pid` runs and is not a zombie (a zombie still answers kill(pid, 0)). */
export async function isProcessAlive(pid: number): Promise<boolean> {
  if (!Number.isInteger(pid) || pid <= 0) return false;
  try {
    process.kill(pid, 0);
  } catch (error) {
    // EPERM: it exists but belongs to someone else; still alive.
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
  const stat = await readFile(`/proc/${pid}/stat`, 'utf8').catch(() => undefined);
  if (stat === undefined) return true; // no procfs: trust kill(0)
  const state = stateOfStat(stat);
  return state !== 'Z' && state !== 'X';
}

/**
 * The state letter of a /proc/<pid>/stat or /proc/<pid>/task/<tid>/stat line ("R", "S", "T" when
 * stopped, "Z"…): the field after the command name, which is in parentheses and may hold spaces.
 */
export function stateOfStat(stat: string): string {
  const end = stat.lastIndexOf(')');
  return stat.slice(end + 2, end + 3);
}

/** The command line of `pid` (/proc/<pid>/cmdline), or undefined; guards against pid reuse. */
export async function processArgs(pid: number): Promise<string[] | undefined> {
  const cmdline = await readFile(`/proc/${pid}/cmdline`, 'utf8').catch(() => undefined);
  return cmdline ? cmdline.replace(/\0$/, '').split('\0') : undefined;
}

/** Polls `check` every `intervalMs` until it returns true or `timeoutMs` passes. */
export async function waitUntil(
  check: () => Promise<boolean>,
  timeoutMs: number,
  intervalMs = 100,
): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (await check()) return true;
    if (Date.now() >= deadline) return false;
    await sleep(intervalMs);
  }
}

/**
 * SIGTERM, wait up to `graceMs`, then SIGKILL; resolves once the process is gone. SIGCONT after
 * SIGTERM (as systemd does) lets a stopped process (SIGSTOP, a debugger) act on it.
 */
export async function terminateProcess(pid: number, graceMs = 10_000): Promise<void> {
  if (!(await isProcessAlive(pid))) return;
  signal(pid, 'SIGTERM');
  signal(pid, 'SIGCONT');
  if (await waitUntil(async () => !(await isProcessAlive(pid)), graceMs)) return;
  signal(pid, 'SIGKILL');
  if (!(await waitUntil(async () => !(await isProcessAlive(pid)), 5_000))) {
    throw new Error(`process ${pid} survived SIGKILL`);
  }
}

/** Sends `name` to `pid`; a process that is already gone is not an error. */
export function signal(pid: number, name: NodeJS.Signals): void {
  try {
    process.kill(pid, name);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ESRCH') throw error;
  }
}

/** The last `lines` lines of a log file, for error messages; empty when it cannot be read. */
export async function readLogTail(path: string, lines = 20): Promise<string> {
  const text = await readFile(path, 'utf8').catch(() => '');
  return text.trimEnd().split('\n').slice(-lines).join('\n');
}

/** A server's state file (pid, ports) as `schema` describes it, or undefined when absent or unreadable. */
export async function readStateFile<T>(path: string, schema: z.ZodType<T>): Promise<T | undefined> {
  const text = await readFile(path, 'utf8').catch(() => undefined);
  if (text === undefined) return undefined;
  try {
    const parsed = schema.safeParse(JSON.parse(text));
    return parsed.success ? parsed.data : undefined;
  } catch {
    return undefined; // a torn or foreign file means "not running", not a crash
  }
}

/**
 * Starts a server detached (own session, output appended to `logPath` after a "--- starting" line)
 * so it outlives the process that started it; resolves with its pid once it has spawned. The
 * first of `paths` that exists is run, else `command` from PATH.
 */
export async function spawnDetached(program: { readonly paths: readonly string[]; readonly command: string }, args: readonly string[], logPath: string, cwd: string): Promise<number> {
  const log = await open(logPath, 'a');
  try {
    await log.write(`--- ${new Date().toISOString()} starting ${program.command} ${args.join(' ')}\n`);
    const binary = program.paths.find((path) => existsSync(path)) ?? program.command;
    const child = spawn(binary, args, { cwd, detached: true, stdio: ['ignore', log.fd, log.fd] });
    child.unref();
    return await new Promise<number>((resolvePid, reject) => {
      child.once('error', (error) => reject(new Error(`cannot run ${binary}: ${error.message}`)));
      child.once('spawn', () => (child.pid ? resolvePid(child.pid) : reject(new Error(`${binary}: no pid`))));
    });
  } finally {
    await log.close();
  }
}

/**
 * A server we started could not bind its port: someone took it after we probed it, so the caller
 * retries on another. `port` is the one named in the server's log, when it says (influxd has two).
 */
export class PortInUseError extends Error {
  override readonly name = 'PortInUseError';
  constructor(
    message: string,
    readonly port?: number,
  ) {
    super(message);
  }
}
