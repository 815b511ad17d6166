// Runs the native tools (apt-get, initdb, pg_ctl, psql). PostgreSQL refuses to run as root, so
// its tools run as the `postgres` OS user when we are root.
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';

export type CommandResult = { code: number; stdout: string; stderr: string };

export type CommandOptions = {
  cwd?: string;
  env?: NodeJS.ProcessEnv;
  /** Run as this OS user via runuser (only when we are root; otherwise as ourselves). */
  asUser?: string;
  timeoutMs?: number;
};

export function isRoot(): boolean {
  return process.getuid?.() === 0;
}

/** Runs a command to completion; never throws on a non-zero exit (see runChecked). */
export function runCommand(file: string, args: readonly string[], options: CommandOptions = {}): Promise<CommandResult> {
  const [command, argv] = options.asUser && isRoot() ? [runuserPath(), ['-u', options.asUser, '--', file, ...args]] : [file, [...args]];
  return new Promise((resolve, reject) => {
    const child = spawn(command, argv, {
      cwd: options.cwd,
      env: options.env ?? process.env,
      stdio: ['ignore', 'pipe', 'pipe'],
      timeout: options.timeoutMs ?? 60_000,
    });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
    child.once('error', (error) => reject(new Error(`cannot run ${command}: ${error.message}`)));
    child.once('close', (code, signal) => resolve({ code: code ?? (signal ? 128 : 1), stdout, stderr }));
  });
}

/** Runs a command and throws an error naming it, its exit code and its output when it fails. */
export async function runChecked(file: string, args: readonly string[], options: CommandOptions = {}): Promise<CommandResult> {
  const result = await runCommand(file, args, options);
  if (result.code !== 0) {
    const output = `${result.stderr}\n${result.stdout}`.trim().split('\n').slice(-15).join('\n');
    throw new Error(`${file} ${args.join(' ')} failed (exit ${result.code}):\n${output}`);
  }
  return result;
}

function runuserPath(): string {
  // Non-login shells may lack /usr/sbin in PATH.
  return ['/usr/sbin/runuser', '/sbin/runuser'].find((path) => existsSync(path)) ?? 'runuser';
}
