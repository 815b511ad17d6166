import { describe, expect, it } from 'vitest';
import { DEFAULT_AGENT_LIMITS, loadBrokerConfig } from '../config.js';

const base = { EM_BROKER_AUTH: 'disabled' };

describe('per-agent limits configuration', () => {
  it('when nothing is set, then agents are paced at the defaults', () => {
    expect(loadBrokerConfig(base).publishPace).toEqual({
      publishesPerS: DEFAULT_AGENT_LIMITS.publishesPerS,
      burst: DEFAULT_AGENT_LIMITS.burst,
      readingsPerS: DEFAULT_AGENT_LIMITS.readingsPerS,
      readingsBurst: DEFAULT_AGENT_LIMITS.readingsBurst,
    });
  });

  it('when nothing is set, then 256 device ids per agent per 24 h', () => {
    expect(loadBrokerConfig(base).deviceBound).toEqual({ maxDevicesPerAgent: 256, windowMs: 86_400_000 });
    expect(loadBrokerConfig({ ...base, EM_BROKER_MAX_DEVICES_PER_AGENT: '0' }).deviceBound.maxDevicesPerAgent).toBe(0);
  });

  it('when the rate is 0, then pacing is off', () => {
    expect(loadBrokerConfig({ ...base, EM_BROKER_AGENT_PUBLISHES_PER_S: '0' }).publishPace.publishesPerS).toBe(0);
    expect(loadBrokerConfig({ ...base, EM_BROKER_AGENT_READINGS_PER_S: '0' }).publishPace.readingsPerS).toBe(0);
  });

  it('when nothing is set, then 2,000 readings a second past 60,000', () => {
    expect(loadBrokerConfig(base).publishPace).toMatchObject({ readingsPerS: 2_000, readingsBurst: 60_000 });
  });

  it.each([
    [{ EM_BROKER_AGENT_PUBLISHES_PER_S: '-1' }, /EM_BROKER_AGENT_PUBLISHES_PER_S/],
    [{ EM_BROKER_AGENT_PUBLISHES_PER_S: '2.5' }, /EM_BROKER_AGENT_PUBLISHES_PER_S/],
    [{ EM_BROKER_AGENT_PUBLISH_BURST: '0' }, /EM_BROKER_AGENT_PUBLISH_BURST/],
    [{ EM_BROKER_AGENT_READINGS_PER_S: '-5' }, /EM_BROKER_AGENT_READINGS_PER_S/],
    [{ EM_BROKER_AGENT_READINGS_BURST: '0' }, /EM_BROKER_AGENT_READINGS_BURST/],
    [{ EM_BROKER_MAX_DEVICES_PER_AGENT: '-1' }, /EM_BROKER_MAX_DEVICES_PER_AGENT/],
    [{ EM_BROKER_AGENT_DEVICES_WINDOW_MS: '0' }, /EM_BROKER_AGENT_DEVICES_WINDOW_MS/],
  ])('when %o, then the config is refused naming the variable', (env, message) => {
    expect(() => loadBrokerConfig({ ...base, ...env })).toThrow(message);
  });
});
