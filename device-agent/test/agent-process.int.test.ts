// The agent as a process (device-agent/main.ts): what it does when it cannot start, and what its
// /readyz says. Acceptance report: a second agent on one data folder reused seqs; a metrics port in
// use, a read-only or impossible data folder gave stacks, exit 1 (a systemd restart loop) or a hang;
// /readyz said ready while disconnected.
import { spawn } from 'node:child_process';
import { createServer } from 'node:net';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { spawnService } from '../../lib/process/spawn-service.js';
import { makeTempDir } from '../../test/support/temp-dir.js';
import { openDataDir } from '../data-dir.js';
import { startBareAedes } from './bare-aedes.js';

const repoRoot = fileURLToPath(new URL('../..', import.meta.url));
/** lib/process/report-config-errors.ts; not imported: it would install its exit handler in this worker. */
const CONFIG_ERROR_EXIT_CODE = 2;
const IDS = { EM_AGENT_HOUSEHOLD_ID: 'h-0001', EM_AGENT_ID: 'a-0001' };

const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

/** Runs the agent until it exits by itself (or 20 s pass): its exit code and stderr. */
function runAgentUntilExit(env: Record<string, string>): Promise<{ code: number | null; stderr: string }> {
  const child = spawn(process.execPath, ['--import', 'tsx', 'device-agent/main.ts'], {
    cwd: repoRoot,
    env: { ...process.env, ...IDS, EM_AGENT_BROKER_URL: 'mqtt://127.0.0.1:9', ...env },
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let stderr = '';
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString('utf8')));
  const timer = setTimeout(() => child.kill('SIGKILL'), 20_000);
  return new Promise((resolve) => {
    child.once('close', (code) => {
      clearTimeout(timer);
      resolve({ code, stderr });
    });
  });
}

function tempDir(): string {
  const dir = makeTempDir('agent-process');
  cleanups.push(() => dir.remove());
  return dir.path;
}

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return typeof address === 'object' && address !== null ? address.port : 0;
}

describe('the agent process', () => {
  it('when its data folder is in use by another agent, then it exits with a configuration error naming the folder and the holder', async () => {
    const dir = tempDir();
    const lock = await openDataDir(dir, 'EM_AGENT_DATA_DIR', 'device-agent');
    cleanups.push(() => lock.release());
    const second = await runAgentUntilExit({ EM_AGENT_DATA_DIR: dir });
    expect(second.code).toBe(CONFIG_ERROR_EXIT_CODE);
    expect(second.stderr).toContain(`data folder ${dir} is already in use by another device-agent (pid ${process.pid})`);
  });

  it('when its data folder cannot be created or written, then it says so and exits 2 instead of hanging in LMDB', async () => {
    const impossible = await runAgentUntilExit({ EM_AGENT_DATA_DIR: '/proc/nope' });
    expect(impossible.code).toBe(CONFIG_ERROR_EXIT_CODE);
    expect(impossible.stderr).toContain('EM_AGENT_DATA_DIR=/proc/nope (/proc/nope): cannot create the folder');
    const unwritable = await runAgentUntilExit({ EM_AGENT_DATA_DIR: '/proc' });
    expect(unwritable.code).toBe(CONFIG_ERROR_EXIT_CODE);
    expect(unwritable.stderr).toContain('EM_AGENT_DATA_DIR=/proc (/proc): cannot write in the folder');
  });

  it('when its metrics port is taken, then it says which variable to change and exits 2', async () => {
    const taken = createServer();
    await new Promise<void>((resolve) => taken.listen(0, '127.0.0.1', resolve));
    cleanups.push(() => new Promise<void>((resolve) => taken.close(() => resolve())));
    const address = taken.address();
    const port = typeof address === 'object' && address !== null ? address.port : 0;
    const result = await runAgentUntilExit({ EM_AGENT_DATA_DIR: tempDir(), EM_AGENT_METRICS_PORT: String(port) });
    expect(result.code).toBe(CONFIG_ERROR_EXIT_CODE);
    expect(result.stderr).toContain(`EM_AGENT_METRICS_PORT=${port}: port ${port} on 127.0.0.1 is already in use`);
    expect(result.stderr).not.toContain('    at ');
  });

  it('when it has no broker connection, then /readyz answers 503, and 200 once connected', async () => {
    const aedes = await startBareAedes();
    cleanups.push(() => aedes.close());
    await aedes.goAway();
    const metricsPort = await freePort();
    const agent = await spawnService({
      name: 'device-agent',
      entry: 'device-agent/main.ts',
      env: { ...IDS, EM_AGENT_BROKER_URL: aedes.url, EM_AGENT_DATA_DIR: tempDir(), EM_AGENT_METRICS_PORT: String(metricsPort) },
      readyMessage: 'agent started',
    });
    cleanups.push(() => agent.stop());
    const readyz = async (): Promise<{ status: number; body: string }> => {
      const response = await fetch(`http://127.0.0.1:${metricsPort}/readyz`);
      return { status: response.status, body: await response.text() };
    };
    const down = await readyz();
    expect(down.status).toBe(503);
    expect(down.body).toContain(`not connected to ${aedes.url}`);
    await aedes.comeBack();
    // The agent retries with backoff (up to 30 s between attempts): give it time.
    let last = down;
    for (let i = 0; i < 400 && last.status !== 200; i++) {
      await new Promise((resolve) => setTimeout(resolve, 100));
      last = await readyz();
    }
    expect(last.status).toBe(200);
  });
});
