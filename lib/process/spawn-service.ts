// Runs one of our services as a real child process (node + tsx): used by the start command, and
// by tests and benchmarks that kill -9 it or measure it apart from the load generator.
import { spawn, type ChildProcess } from 'node:child_process';
import { createWriteStream } from 'node:fs';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { serviceNodeFlags } from './service-node-flags.js';

const repoRoot = fileURLToPath(new URL('../..', import.meta.url));

export interface SpawnedService {
  readonly name: string;
  readonly child: ChildProcess;
  /** The first JSON log line whose `msg` matched `readyMessage`. */
  readonly ready: Record<string, unknown>;
  /** SIGKILL, like a power cut for this process: no cleanup runs. */
  kill9(): Promise<void>;
  /** SIGTERM and wait for a graceful exit. */
  stop(): Promise<void>;
}

export interface SpawnOptions {
  readonly name: string;
  /** Entry file relative to the repository root, e.g. `broker/main.ts`. */
  readonly entry: string;
  readonly env: Record<string, string>;
  /** The `msg` of the JSON log line that says the service is up. */
  readonly readyMessage: string;
  readonly logFile?: string;
  readonly timeoutMs?: number;
}

function exited(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => child.once('exit', () => resolve()));
}

export async function spawnService(options: SpawnOptions): Promise<SpawnedService> {
  const child = spawn(process.execPath, [...serviceNodeFlags(options.entry), '--import', 'tsx', options.entry], {
    cwd: repoRoot,
    env: { ...process.env, EM_LOG_LEVEL: process.env.EM_LOG_LEVEL ?? 'info', ...options.env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const log = options.logFile === undefined ? undefined : createWriteStream(options.logFile, { flags: 'a' });
  // The last lines either stream wrote, so a service that dies while starting says why in the error
  // (its log file may live in a folder the caller removes).
  const tail: string[] = [];
  const keep = (line: string): void => {
    tail.push(line.length > 500 ? `${line.slice(0, 500)}…` : line);
    if (tail.length > 12) tail.shift();
  };
  if (child.stderr !== null) {
    if (log !== undefined) child.stderr.pipe(log);
    createInterface({ input: child.stderr }).on('line', keep);
  }
  const ready = await new Promise<Record<string, unknown>>((resolve, reject) => {
    const timer = setTimeout(
      () => reject(new Error(`${options.name} did not log "${options.readyMessage}" within ${options.timeoutMs ?? 20_000} ms`)),
      options.timeoutMs ?? 20_000,
    );
    child.once('exit', (code, signal) => {
      clearTimeout(timer);
      // Let readline hand over the lines still buffered before saying what they were.
      setImmediate(() => {
        const said = tail.length === 0 ? '' : `; its last output:\n${tail.join('\n')}`;
        reject(new Error(`${options.name} exited early (code ${code}, signal ${signal})${said}`));
      });
    });
    createInterface({ input: child.stdout }).on('line', (line) => {
      keep(line);
      log?.write(`${line}\n`);
      try {
        const entry = JSON.parse(line) as Record<string, unknown>;
        if (entry.msg === options.readyMessage) {
          clearTimeout(timer);
          resolve(entry);
        }
      } catch {
        // not a JSON log line
      }
    });
  });
  return {
    name: options.name,
    child,
    ready,
    async kill9() {
      child.kill('SIGKILL');
      await exited(child);
    },
    async stop() {
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), 15_000);
      await exited(child);
      clearTimeout(timer);
    },
  };
}
