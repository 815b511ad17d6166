// A readings publish is its container plus a topic and a packet identifier. With a packet cap that
// cannot carry the largest container the broker accepts, an agent's container between the two
// closes its connection without a PUBACK; the agent resends its oldest container first, so that one
// container stops every later one for good. So such a pair of limits is refused at start.
import { describe, expect, it } from 'vitest';
import { ConfigError } from '../../lib/config/load-config.js';
import { readingsTopic } from '../../proto/topics.js';
import { loadBrokerConfig } from '../config.js';

const base = { EM_BROKER_AUTH: 'disabled' };
/** Remaining Length of a QoS 1 readings PUBLISH on the longest agent topic [MQTT-3.3.2]. */
const publishBytes = (containerBytes: number): number => 2 + readingsTopic('h'.repeat(64), 'a'.repeat(64)).length + 2 + containerBytes;

describe('broker packet and container limits', () => {
  it('by default, a packet holds the largest container the broker accepts', () => {
    const config = loadBrokerConfig(base);
    expect(config.maxPacketBytes).toBeGreaterThanOrEqual(publishBytes(config.limits.maxContainerBytes));
  });

  it.each([
    ['the packet cap is set to the container limit (64 KiB both)', { EM_BROKER_MAX_PACKET_BYTES: '65536' }],
    ['the container limit is raised past the packet cap', { EM_BROKER_MAX_CONTAINER_BYTES: String(300 * 1024) }],
  ])('when %s, then loading fails naming both variables', (_, env) => {
    const load = (): unknown => loadBrokerConfig({ ...base, ...env });
    expect(load).toThrow(ConfigError);
    expect(load).toThrow(/EM_BROKER_MAX_PACKET_BYTES.*EM_BROKER_MAX_CONTAINER_BYTES/s);
  });

  it('when the packet cap leaves exactly room for the largest readings publish, then it loads', () => {
    const env = { ...base, EM_BROKER_MAX_CONTAINER_BYTES: '1000', EM_BROKER_MAX_PACKET_BYTES: String(publishBytes(1000)) };
    expect(loadBrokerConfig(env).maxPacketBytes).toBe(publishBytes(1000));
  });
});
