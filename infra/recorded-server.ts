// A server we started detached is found again from its folder alone, possibly by another process
// (the CLI): its state file records the pid. A state file can outlive its server and the pid be
// reused, so a recorded pid is the folder's server only while /proc/<pid>/cmdline shows the
// program with this folder's config. And a live server that does not answer is still the folder's
// server: a second one on the same data would corrupt it, so start waits for the first to answer,
// or fails naming the process to stop; stop and status find it through its pid.
import { realpath, rm } from 'node:fs/promises';
import { basename } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { z } from 'zod';
import { isProcessAlive, processArgs, readStateFile, terminateProcess } from './process-tools.js';

/** How the folder's server shows in its command line: the program, and an argument naming the folder's config. */
export type ServerProcess = { readonly program: string; readonly configArg: string };

/**
 * True when `pid` is alive and runs `server.program` with `server.configArg` among its arguments,
 * or an argument naming the same file by another path (the folder reached through a symlink).
 */
export async function isServerProcess(pid: number, server: ServerProcess): Promise<boolean> {
  if (!(await isProcessAlive(pid))) return false;
  const argv = await processArgs(pid);
  if (argv?.[0] === undefined || basename(argv[0]) !== server.program) return false;
  return argv.includes(server.configArg) || (await namesSameFile(argv.slice(1), server.configArg));
}

async function namesSameFile(args: readonly string[], configArg: string): Promise<boolean> {
  const pathIn = (arg: string): string => arg.slice(arg.indexOf('=') + 1); // "--config.file=/x" or "/x"
  const real = (arg: string): Promise<string | undefined> => realpath(pathIn(arg)).catch(() => undefined);
  const wanted = await real(configArg);
  if (wanted === undefined) return false;
  for (const arg of args) if (pathIn(arg).startsWith('/') && (await real(arg)) === wanted) return true;
  return false;
}

export type AnswerOutcome = 'answering' | 'exited' | 'silent';

/**
 * Polls the live server `pid` until `answers` is true ('answering'), the process is gone
 * ('exited': the caller may start a new one) or `timeoutMs` passes ('silent': it must not).
 */
export async function waitForAnswer(pid: number, server: ServerProcess, answers: () => Promise<boolean>, timeoutMs: number): Promise<AnswerOutcome> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (!(await isServerProcess(pid, server))) return 'exited';
    if (await answers()) return 'answering';
    if (Date.now() >= deadline) return 'silent';
    await sleep(200);
  }
}

/** The folder's server is alive but does not answer: start refuses to run a second one beside it. */
export class ServerNotAnsweringError extends Error {
  override readonly name = 'ServerNotAnsweringError';
  constructor(
    readonly pid: number,
    program: string,
    dataDir: string,
    /** What it does not answer, e.g. "/ping on port 8086". */
    what: string,
  ) {
    super(`${program} pid ${pid} for ${dataDir} is running but not answering ${what}; stop it first`);
  }
}

const pidOnly = z.object({ pid: z.number().int() });

/**
 * Stops the server whose state file records its pid (SIGTERM, SIGKILL after `graceMs`), if that
 * pid is still `server`, and removes the file; a no-op when nothing runs.
 */
export async function stopRecordedServer(statePath: string, server: ServerProcess, graceMs = 10_000): Promise<void> {
  const state = await readStateFile(statePath, pidOnly);
  if (state && (await isServerProcess(state.pid, server))) await terminateProcess(state.pid, graceMs);
  await rm(statePath, { force: true });
}
