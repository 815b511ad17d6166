// `npm start`'s own settings, as a user meets them: `--help` lists them without starting anything,
// and a bad value stops the start, named, before any folder or server exists.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { CONFIG_ERROR_EXIT_CODE } from '../../lib/process/report-config-errors.js';

const repoRoot = fileURLToPath(new URL('../..', import.meta.url));

function startPlatform(args: string[], env: Record<string, string>): ReturnType<typeof spawnSync> {
  const { PATH, HOME } = process.env;
  return spawnSync(process.execPath, ['--import', 'tsx', 'scripts/start-platform.ts', ...args], {
    cwd: repoRoot,
    env: { PATH, HOME, ...env },
    encoding: 'utf8',
    timeout: 30_000,
  });
}

describe('npm start settings', () => {
  const dataDir = join(tmpdir(), `em-start-settings-${process.pid}`);

  it('when asked for --help, then it lists its variables with defaults and starts nothing', () => {
    const run = startPlatform(['--help'], { EM_DATA_DIR: dataDir });
    expect(run.status).toBe(0);
    expect(run.stdout).toMatch(/^\s+EM_FLEET_AGENTS\s+default 20$/m);
    expect(run.stdout).toMatch(/^\s+EM_PROMETHEUS\s+default "on" \(on \| off\)$/m);
    expect(existsSync(dataDir)).toBe(false);
  });

  it('when a variable is wrong, then it is named, exit code 2, and nothing was started or created', () => {
    const run = startPlatform([], { EM_DATA_DIR: dataDir, EM_FLEET_AGENTS: 'lots', EM_PROMETHEUS: 'false' });
    expect(run.status).toBe(CONFIG_ERROR_EXIT_CODE);
    expect(run.stderr).toContain('EM_FLEET_AGENTS');
    expect(run.stderr).toContain('EM_PROMETHEUS');
    expect(run.stdout).not.toContain('starting Energymonitor');
    expect(existsSync(dataDir)).toBe(false);
  });

  it.each([
    [{ EM_FLEET_PUBLISH_INTERVAL_MS: '2000', EM_FLEET_SAMPLE_INTERVAL_MS: '5000' }, /EM_FLEET_SAMPLE_INTERVAL_MS.*EM_FLEET_PUBLISH_INTERVAL_MS/],
    [{ EM_FLEET_PUBLISH_INTERVAL_MS: String(2 ** 31) }, /EM_FLEET_PUBLISH_INTERVAL_MS.*2147483647/],
  ])('when the fleet settings %j would stop the fleet, then the start is refused before anything starts', (env, message) => {
    const run = startPlatform([], { EM_DATA_DIR: dataDir, ...env });
    expect(run.status).toBe(CONFIG_ERROR_EXIT_CODE);
    expect(run.stderr).toMatch(message);
    expect(existsSync(dataDir)).toBe(false);
  });
});
