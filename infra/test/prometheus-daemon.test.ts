import { afterEach, describe, expect, it } from 'vitest';
import { makeTempDir, type TempDir } from '../../test/support/temp-dir.js';
import { launchDaemon, type DaemonProgram } from '../prometheus-daemon.js';
import { PortInUseError } from '../process-tools.js';

// /bin/sh stands in for a Prometheus-project daemon that dies at start; no server is needed.
const shell: DaemonProgram = { label: 'Test daemon', paths: ['/bin/sh'], command: 'sh' };
const dirs: TempDir[] = [];
afterEach(() => dirs.splice(0).forEach((dir) => dir.remove()));

async function launchShell(script: string): Promise<{ error: unknown; recorded: number[]; stopped: number }> {
  const dir = makeTempDir('daemon');
  dirs.push(dir);
  const recorded: number[] = [];
  let stopped = 0;
  const error = await launchDaemon(shell, {
    args: ['-c', script],
    url: 'http://127.0.0.1:9', // nothing answers /-/ready there
    dataDir: dir.path,
    logPath: dir.join('daemon.log'),
    recordPid: (pid) => Promise.resolve(void recorded.push(pid)),
    stop: () => Promise.resolve(void (stopped += 1)),
  }).catch((caught: unknown) => caught);
  return { error, recorded, stopped };
}

describe('launchDaemon', () => {
  it('when the daemon dies saying its address is in use, then PortInUseError (the caller retries on another port), after recording and stopping it', async () => {
    const { error, recorded, stopped } = await launchShell('echo "listen tcp 127.0.0.1:9090: bind: address already in use"; exit 1');
    expect(error).toBeInstanceOf(PortInUseError);
    expect(String(error)).toMatch(/Test daemon did not start in .*: sh exited\. Tail of .*daemon\.log:[\s\S]*address already in use/);
    expect(recorded).toHaveLength(1);
    expect(stopped).toBe(1);
  });

  it('when the daemon dies for another reason, then a plain error with its log tail', async () => {
    const { error } = await launchShell('echo "error loading config file: bad yaml" >&2; exit 1');
    expect(error).toBeInstanceOf(Error);
    expect(error).not.toBeInstanceOf(PortInUseError);
    expect(String(error)).toMatch(/bad yaml/);
  });
});
