// A real entry point started with a bad variable, as a user would run it.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { CONFIG_ERROR_EXIT_CODE } from '../report-config-errors.js';

const repoRoot = fileURLToPath(new URL('../../..', import.meta.url));

describe('entry points with a bad configuration', () => {
  it('when a required variable is missing and another is malformed, then both are named, exit code 2, no stack trace', () => {
    const { PATH, HOME } = process.env;
    const run = spawnSync(process.execPath, ['--import', 'tsx', 'device-agent/main.ts'], {
      cwd: repoRoot,
      env: { PATH, HOME, EM_AGENT_ID: 'a-1', EM_AGENT_PUBLISH_INTERVAL_MS: 'soon' },
      encoding: 'utf8',
      timeout: 30_000,
    });
    expect(run.status).toBe(CONFIG_ERROR_EXIT_CODE);
    expect(run.stderr).toContain('EM_AGENT_HOUSEHOLD_ID');
    expect(run.stderr).toContain('EM_AGENT_PUBLISH_INTERVAL_MS');
    expect(run.stderr).not.toMatch(/^\s+at /m);
  });

  it('when asked for --help, then it lists its variables on stdout and exits 0 without starting anything', () => {
    const { PATH, HOME } = process.env;
    const dataDir = `/tmp/em-help-${process.pid}`;
    const run = spawnSync(process.execPath, ['--import', 'tsx', 'device-agent/main.ts', '--help'], {
      cwd: repoRoot,
      env: { PATH, HOME, EM_AGENT_DATA_DIR: dataDir },
      encoding: 'utf8',
      timeout: 30_000,
    });
    expect(run.status).toBe(0);
    expect(run.stdout).toMatch(/^\s+EM_AGENT_HOUSEHOLD_ID\s+required$/m);
    expect(run.stdout).toMatch(/^\s+EM_AGENT_PUBLISH_INTERVAL_MS\s+default 60000$/m);
    expect(run.stderr).toBe('');
    expect(existsSync(dataDir)).toBe(false);
  });

  // Every entry point a user or an operator starts: each reads its own EM_* prefix.
  it.each([
    ['broker/main.ts', 'EM_BROKER_'],
    ['services/write/main.ts', 'EM_WRITE_'],
    ['services/read/main.ts', 'EM_READ_'],
    ['services/auth/main.ts', 'EM_AUTH_'],
    ['services/alerts/main.ts', 'EM_ALERTS_'],
    ['web/server/main.ts', 'EM_WEB_'],
    ['device-agent/fleet-main.ts', 'EM_FLEET_'],
  ])('%s -h lists its %s variables and exits 0', (entry, prefix) => {
    const { PATH, HOME } = process.env;
    const run = spawnSync(process.execPath, ['--import', 'tsx', entry, '-h'], { cwd: repoRoot, env: { PATH, HOME }, encoding: 'utf8', timeout: 30_000 });
    expect(run.status, run.stderr).toBe(0);
    expect(run.stdout).toMatch(new RegExp(`^\\s+${prefix}\\w+\\s+(default|required|optional)`, 'm'));
  });
});
