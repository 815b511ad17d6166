// Runs infra/cli.ts as a user would (a process of its own), for tests of its exit codes and output.
import { fileURLToPath } from 'node:url';
import { runCommand, type CommandResult } from '../run-command.js';

const repoRoot = fileURLToPath(new URL('../..', import.meta.url));

/** `node --import tsx infra/cli.ts ...args`, under `umask` when given (e.g. '077'). */
export function runInfraCli(args: readonly string[], options: { umask?: string } = {}): Promise<CommandResult> {
  const node = [process.execPath, '--import', 'tsx', 'infra/cli.ts', ...args];
  if (options.umask === undefined) return runCommand(node[0] ?? 'node', node.slice(1), { cwd: repoRoot, timeoutMs: 120_000 });
  return runCommand('/bin/sh', ['-c', `umask ${options.umask} && exec "$@"`, 'sh', ...node], { cwd: repoRoot, timeoutMs: 120_000 });
}
