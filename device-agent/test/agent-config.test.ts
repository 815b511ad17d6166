import { describe, expect, it } from 'vitest';
import { ConfigError } from '../../lib/config/load-config.js';
import { loadAgentConfig } from '../agent-config.js';

const REQUIRED = { EM_AGENT_HOUSEHOLD_ID: 'h-0001', EM_AGENT_ID: 'a-0001' };

describe('agent configuration', () => {
  it('has defaults for everything but the ids, with units in the names, frozen', () => {
    const config = loadAgentConfig(REQUIRED);
    expect(config).toMatchObject({
      brokerUrl: 'mqtt://127.0.0.1:1883',
      source: 'simulated',
      publishIntervalMs: 60_000,
      sampleIntervalMs: 5000,
      maxInFlight: 32,
      outboxMaxEntries: 10_080,
      outboxFlushTimeoutMs: 30_000,
      metricsPort: 0,
      plugs: [],
      username: undefined,
    });
    expect(Object.isFrozen(config)).toBe(true);
  });

  it('uses the agent id as username when only a password is given', () => {
    expect(loadAgentConfig({ ...REQUIRED, EM_AGENT_PASSWORD: 's3cret' })).toMatchObject({ username: 'a-0001', password: 's3cret' });
    expect(loadAgentConfig({ ...REQUIRED, EM_AGENT_USERNAME: 'u', EM_AGENT_PASSWORD: 'p' }).username).toBe('u');
  });

  it('parses plugs and requires them for a plug source', () => {
    const config = loadAgentConfig({ ...REQUIRED, EM_AGENT_SOURCE: 'shelly', EM_AGENT_PLUGS: 'kitchen=http://10.0.0.2' });
    expect(config.plugs).toEqual([{ deviceId: 'kitchen', baseUrl: 'http://10.0.0.2', channel: 0 }]);
    expect(() => loadAgentConfig({ ...REQUIRED, EM_AGENT_SOURCE: 'tasmota' })).toThrow(/EM_AGENT_PLUGS/);
    expect(() => loadAgentConfig({ ...REQUIRED, EM_AGENT_PLUGS: 'nonsense' })).toThrow(/EM_AGENT_PLUGS.*name=url/);
  });

  it('names every offending variable', () => {
    const bad = {
      EM_AGENT_HOUSEHOLD_ID: 'h/1',
      EM_AGENT_ID: '',
      EM_AGENT_BROKER_URL: 'http://broker',
      EM_AGENT_PUBLISH_INTERVAL_MS: '999',
    };
    let message = '';
    try {
      loadAgentConfig(bad);
    } catch (err) {
      expect(err).toBeInstanceOf(ConfigError);
      message = (err as Error).message;
    }
    for (const name of Object.keys(bad)) expect(message).toContain(name);
  });

  it('refuses a sample interval longer than the publish interval', () => {
    expect(() =>
      loadAgentConfig({ ...REQUIRED, EM_AGENT_PUBLISH_INTERVAL_MS: '1000', EM_AGENT_SAMPLE_INTERVAL_MS: '5000' }),
    ).toThrow(/EM_AGENT_SAMPLE_INTERVAL_MS/);
  });

  it('accepts ws://, mqtts:// and wss:// brokers, and refuses http://', () => {
    for (const url of ['ws://broker.local:8083/mqtt', 'mqtts://broker.local:8883', 'wss://broker.local/mqtt']) {
      expect(loadAgentConfig({ ...REQUIRED, EM_AGENT_BROKER_URL: url }).brokerUrl).toBe(url);
    }
    expect(() => loadAgentConfig({ ...REQUIRED, EM_AGENT_BROKER_URL: 'http://broker.local' })).toThrow(/mqtts:\/\//);
  });
  it('when a plug name is one the broker refuses, then the configuration is refused', () => {
    const plugs = (name: string) => ({ ...REQUIRED, EM_AGENT_SOURCE: 'shelly', EM_AGENT_PLUGS: `${name}=http://10.0.0.2` });
    expect(loadAgentConfig(plugs('p'.repeat(128))).plugs[0]?.deviceId).toHaveLength(128);
    expect(() => loadAgentConfig(plugs('p'.repeat(129)))).toThrow(/EM_AGENT_PLUGS: plug name "p+…": device id has 129 characters, limit 128/);
    expect(() => loadAgentConfig(plugs('desk\\'))).toThrow(/EM_AGENT_PLUGS.*backslash/);
  });

  it('when more plugs are listed than the broker takes device ids from one agent, then the configuration is refused', () => {
    const list = (count: number) => Array.from({ length: count }, (_, i) => `plug${i}=http://10.0.${i >> 8}.${i & 255}`).join(',');
    const plugs = (count: number) => ({ ...REQUIRED, EM_AGENT_SOURCE: 'shelly', EM_AGENT_PLUGS: list(count) });
    expect(loadAgentConfig(plugs(256)).plugs).toHaveLength(256);
    expect(() => loadAgentConfig(plugs(257))).toThrow(/EM_AGENT_PLUGS lists more than 256 plugs.*split them across agents/);
  });

  it('takes the broker limit of measurements per container, 1000 unless told', () => {
    expect(loadAgentConfig(REQUIRED).containerLimits.maxMeasurementsPerContainer).toBe(1000);
    expect(loadAgentConfig({ ...REQUIRED, EM_AGENT_MAX_MEASUREMENTS_PER_CONTAINER: '500' }).containerLimits.maxMeasurementsPerContainer).toBe(500);
  });
  it('when plugs are given without a plug source, then the configuration is refused rather than the plugs ignored', () => {
    expect(() => loadAgentConfig({ ...REQUIRED, EM_AGENT_PLUGS: 'kitchen=http://10.0.0.2' })).toThrow(/EM_AGENT_PLUGS is set but EM_AGENT_SOURCE is simulated/);
    expect(loadAgentConfig({ ...REQUIRED, EM_AGENT_PLUGS: '' }).plugs).toEqual([]);
  });

  it('when an interval or timeout is longer than a Node timer can wait, then the configuration is refused', () => {
    const tooLong = String(2 ** 31);
    for (const name of ['EM_AGENT_PUBLISH_INTERVAL_MS', 'EM_AGENT_SAMPLE_INTERVAL_MS', 'EM_AGENT_PLUG_TIMEOUT_MS', 'EM_AGENT_OUTBOX_FLUSH_TIMEOUT_MS']) {
      expect(() => loadAgentConfig({ ...REQUIRED, [name]: tooLong }), name).toThrow(new RegExp(`${name}: must be at most 2147483647 ms`));
    }
  });

  it('when more publishes may be in flight than MQTT has packet identifiers, then the configuration is refused', () => {
    // MQTT.js wraps its packet ids at 65535 and reuses one still in flight: the older publish's
    // PUBACK completes the newer one and the older is never acknowledged on that connection.
    expect(loadAgentConfig({ ...REQUIRED, EM_AGENT_MAX_IN_FLIGHT: '65535' }).maxInFlight).toBe(65_535);
    expect(() => loadAgentConfig({ ...REQUIRED, EM_AGENT_MAX_IN_FLIGHT: '65536' })).toThrow(/EM_AGENT_MAX_IN_FLIGHT: .*65535/);
  });

  it('when the plug timeout is not shorter than the sample interval, then the configuration is refused; unset, it fits', () => {
    const plugs = { ...REQUIRED, EM_AGENT_SOURCE: 'tasmota', EM_AGENT_PLUGS: 'kitchen=http://10.0.0.2' };
    expect(() => loadAgentConfig({ ...plugs, EM_AGENT_SAMPLE_INTERVAL_MS: '2000', EM_AGENT_PLUG_TIMEOUT_MS: '2000' })).toThrow(
      /EM_AGENT_PLUG_TIMEOUT_MS must be shorter than EM_AGENT_SAMPLE_INTERVAL_MS/,
    );
    expect(loadAgentConfig(plugs).plugTimeoutMs).toBe(2000);
    expect(loadAgentConfig({ ...plugs, EM_AGENT_SAMPLE_INTERVAL_MS: '1000' }).plugTimeoutMs).toBe(500);
  });
});
