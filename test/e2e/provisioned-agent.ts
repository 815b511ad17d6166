// Runs the provisioning command exactly as the app shows it (sh -c), as a homeowner would on the
// Pi, with the publish interval shortened so the test sees data within seconds. Its own process
// group, so stopping it also stops npx's children.
import { spawn, type ChildProcess } from 'node:child_process';
import { createWriteStream } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export interface RunningAgent {
  readonly child: ChildProcess;
  readonly logFile: string;
  stop(): Promise<void>;
}

export async function runProvisioningCommand(command: string): Promise<RunningAgent> {
  const dataDir = await mkdtemp(join(tmpdir(), 'em-e2e-agent-'));
  const logFile = join(dataDir, 'agent.log');
  const log = createWriteStream(logFile);
  const child = spawn('sh', ['-c', command], {
    detached: true,
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...process.env, EM_AGENT_PUBLISH_INTERVAL_MS: '1000', EM_AGENT_SAMPLE_INTERVAL_MS: '1000', EM_AGENT_DATA_DIR: dataDir, EM_AGENT_METRICS_PORT: '0' },
  });
  child.stdout?.pipe(log);
  child.stderr?.pipe(log);
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  return {
    child,
    logFile,
    async stop() {
      if (child.exitCode === null && child.signalCode === null && child.pid !== undefined) {
        try {
          process.kill(-child.pid, 'SIGTERM');
        } catch {
          // already gone
        }
        const timer = setTimeout(() => {
          try {
            process.kill(-child.pid!, 'SIGKILL');
          } catch {
            // already gone
          }
        }, 5000);
        await exited;
        clearTimeout(timer);
      }
      await rm(dataDir, { recursive: true, force: true });
    },
  };
}
