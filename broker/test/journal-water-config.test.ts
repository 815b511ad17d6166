// The journal's low/high-water marks are checked with the rest of the config, as a user runs it.
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { ConfigError } from '../../lib/config/load-config.js';
import { CONFIG_ERROR_EXIT_CODE } from '../../lib/process/report-config-errors.js';
import { makeTempDir, type TempDir } from '../../test/support/temp-dir.js';
import { loadBrokerConfig } from '../config.js';

const repoRoot = fileURLToPath(new URL('../..', import.meta.url));
const base = { EM_BROKER_AUTH: 'disabled' };

describe('broker journal water marks', () => {
  let dir: TempDir | undefined;
  afterEach(() => dir?.remove());

  it.each([
    ['equal', '100', '100'],
    ['above', '100', '150'],
  ])('when the low-water mark is %s the high-water mark, then loading fails naming both variables', (_, high, low) => {
    const load = (): unknown =>
      loadBrokerConfig({ ...base, EM_BROKER_JOURNAL_HIGH_WATER_ENTRIES: high, EM_BROKER_JOURNAL_LOW_WATER_ENTRIES: low });
    expect(load).toThrow(ConfigError);
    expect(load).toThrow(/EM_BROKER_JOURNAL_LOW_WATER_ENTRIES: must be below EM_BROKER_JOURNAL_HIGH_WATER_ENTRIES/);
  });

  it('when only the high-water mark is set, then the low-water mark defaults to 90 % of it', () => {
    expect(loadBrokerConfig({ ...base, EM_BROKER_JOURNAL_HIGH_WATER_ENTRIES: '1000' }).backpressure).toMatchObject({ highWaterEntries: 1000, lowWaterEntries: 900 });
  });

  it('when the broker is started with low ≥ high, then it exits 2 naming both variables, without a stack trace', () => {
    dir = makeTempDir('broker-water');
    const { PATH, HOME } = process.env;
    const run = spawnSync(process.execPath, ['--import', 'tsx', 'broker/main.ts'], {
      cwd: repoRoot,
      env: {
        PATH,
        HOME,
        ...base,
        EM_BROKER_JOURNAL_PATH: dir.join('journal'),
        EM_BROKER_DEAD_LETTER_PATH: dir.join('dead-letters'),
        EM_BROKER_MQTT_PORT: '0',
        EM_BROKER_WS_PORT: '0',
        EM_BROKER_METRICS_PORT: '0',
        EM_BROKER_JOURNAL_HIGH_WATER_ENTRIES: '10',
        EM_BROKER_JOURNAL_LOW_WATER_ENTRIES: '10',
      },
      encoding: 'utf8',
      timeout: 30_000,
    });
    expect(run.status, run.stderr).toBe(CONFIG_ERROR_EXIT_CODE);
    expect(run.stderr).toContain('EM_BROKER_JOURNAL_LOW_WATER_ENTRIES');
    expect(run.stderr).toContain('EM_BROKER_JOURNAL_HIGH_WATER_ENTRIES');
    expect(run.stderr).not.toMatch(/^\s+at /m);
  });
});
