// The files an installer copies onto a Pi (device-agent/deploy/): the systemd unit must be one
// systemd accepts without a warning, and the example environment must configure a valid agent
// whose outbox lands in the unit's state directory.
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { DEFAULT_FLUSH_TIMEOUT_MS } from '../../lib/journal/flush-time-limit.js';
import { loadAgentConfig } from '../agent-config.js';
import { DEFAULT_STOP_GRACE_MS } from '../mqtt-publisher.js';

const deployDir = fileURLToPath(new URL('../deploy/', import.meta.url));
const unitPath = `${deployDir}energymonitor-agent.service`;
const unit = readFileSync(unitPath, 'utf8');

/** KEY=VALUE lines of an EnvironmentFile or of a unit's Environment= lines; comments skipped. */
function assignments(lines: readonly string[]): Map<string, string> {
  const found = new Map<string, string>();
  for (const line of lines) {
    const match = /^([A-Z][A-Z0-9_]*)=(.*)$/.exec(line.trim());
    if (match?.[1] !== undefined && match[2] !== undefined) found.set(match[1], match[2]);
  }
  return found;
}

const unitSetting = (key: string): string[] =>
  unit
    .split('\n')
    .filter((line) => line.startsWith(`${key}=`))
    .map((line) => line.slice(key.length + 1));

/** The agent the unit runs: the example environment over the unit's own variables. */
function exampleConfig() {
  const example = assignments(readFileSync(`${deployDir}agent.env.example`, 'utf8').split('\n'));
  const fromUnit = assignments(unitSetting('Environment'));
  // Settings from EnvironmentFile= override Environment= (systemd.exec(5)).
  return { example, config: loadAgentConfig(Object.fromEntries([...fromUnit, ...example])) };
}

describe('device agent deployment files', () => {
  it('the systemd unit passes systemd-analyze verify without a warning', () => {
    const run = spawnSync('systemd-analyze', ['verify', '--man=no', unitPath], { encoding: 'utf8' });
    expect(run.error, 'systemd-analyze (Debian package systemd) must be installed').toBeUndefined();
    expect(run.stderr).toBe('');
    expect(run.status).toBe(0);
  });

  it('the example environment, with the unit\'s own variables, configures a valid agent whose outbox is in the state directory', () => {
    const { example, config } = exampleConfig();
    expect(config.dataDir).toBe(`/var/lib/${unitSetting('StateDirectory')[0]}`);
    expect(config.source).toBe('shelly');
    expect(config.plugs.length).toBeGreaterThan(0);
    // Every variable the example sets is one the agent documents (a misspelt one would be ignored).
    const readme = readFileSync(fileURLToPath(new URL('../README.md', import.meta.url)), 'utf8');
    for (const name of example.keys()) expect(readme, name).toContain(`\`${name}\``);
  });

  it('TimeoutStopSec lets a stop wait out the outbox\'s flush limit twice before systemd kills the agent', () => {
    const [setting, ...more] = unitSetting('TimeoutStopSec');
    expect(more).toEqual([]);
    // Plain seconds, as written in the unit; any other form ("1min 15s") would need parsing here.
    expect(setting).toMatch(/^\d+s?$/);
    const timeoutStopMs = Number.parseInt(setting ?? '', 10) * 1000;
    const { config } = exampleConfig();
    // The agent's default, or the example's EM_AGENT_OUTBOX_FLUSH_TIMEOUT_MS should it set a longer one.
    const flushLimitMs = Math.max(DEFAULT_FLUSH_TIMEOUT_MS, config.outboxFlushTimeoutMs);
    const stopMs =
      config.plugTimeoutMs + // the sample under way when SIGTERM came
      2 * flushLimitMs + // the last seal, then the outbox's close, on a card that does not answer
      3 * DEFAULT_STOP_GRACE_MS; // the broker's PUBACKs, the `offline` status, the connection's close
    expect(timeoutStopMs).toBeGreaterThan(stopMs);
  });
});
