import { writeFileSync } from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import { ConfigError } from '../../lib/config/load-config.js';
import { makeTempDir } from '../../test/support/temp-dir.js';
import { loadFleetConfig, readProvisionedAgents } from '../fleet-config.js';

describe('fleet configuration', () => {
  const cleanups: (() => void)[] = [];
  afterEach(() => {
    for (const cleanup of cleanups.splice(0)) cleanup();
  });

  it('when the sample interval exceeds the publish interval, then it is a configuration error naming both', () => {
    expect(() => loadFleetConfig({ EM_FLEET_PUBLISH_INTERVAL_MS: '1000', EM_FLEET_SAMPLE_INTERVAL_MS: '5000' })).toThrow(
      /EM_FLEET_SAMPLE_INTERVAL_MS must not exceed EM_FLEET_PUBLISH_INTERVAL_MS/,
    );
  });

  it('when the publish interval is longer than a timer can wait, then it is refused; short ones are for load tests and accepted', () => {
    expect(() => loadFleetConfig({ EM_FLEET_PUBLISH_INTERVAL_MS: String(2 ** 31) })).toThrow(/at most 2147483647 ms/);
    expect(loadFleetConfig({ EM_FLEET_PUBLISH_INTERVAL_MS: '25' }).publishIntervalMs).toBe(25);
  });

  it('when the outbox flush time limit is longer than a timer can wait, then it is refused; unset, it is 30 s', () => {
    expect(loadFleetConfig({}).outboxFlushTimeoutMs).toBe(30_000);
    expect(loadFleetConfig({ EM_FLEET_OUTBOX_FLUSH_TIMEOUT_MS: '500' }).outboxFlushTimeoutMs).toBe(500);
    expect(() => loadFleetConfig({ EM_FLEET_OUTBOX_FLUSH_TIMEOUT_MS: String(2 ** 31) })).toThrow(/EM_FLEET_OUTBOX_FLUSH_TIMEOUT_MS: must be at most 2147483647 ms/);
  });

  it('when more publishes may be in flight than MQTT has packet identifiers, then it is refused', () => {
    expect(loadFleetConfig({ EM_FLEET_MAX_IN_FLIGHT: '65535' }).maxInFlight).toBe(65_535);
    expect(() => loadFleetConfig({ EM_FLEET_MAX_IN_FLIGHT: '65536' })).toThrow(/EM_FLEET_MAX_IN_FLIGHT: .*65535/);
  });

  it('when the agents file holds an id that is not a topic level, then it is a configuration error naming the file', () => {
    const dir = makeTempDir('fleet-config');
    cleanups.push(() => void dir.remove());
    const path = dir.join('agents.json');
    writeFileSync(path, JSON.stringify([{ householdId: 'h/1', agentId: 'a-1', secret: 's' }]));
    expect(() => readProvisionedAgents(path)).toThrow(ConfigError);
    expect(() => readProvisionedAgents(path)).toThrow(new RegExp(`EM_FLEET_AGENTS_FILE ${path}:[\\s\\S]*householdId`));
  });
});
