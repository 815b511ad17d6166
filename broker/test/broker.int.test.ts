// The broker over real sockets: durable acknowledgement, dead letters, size caps, and plain MQTT.
import { connect as connectTcp } from 'node:net';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { MqttClient } from 'mqtt';
import { generate } from 'mqtt-packet';
import { encodeContainer, decodeContainer, type ReadingContainer } from '../../proto/container.js';
import { readingsTopic } from '../../proto/topics.js';
import { startTestBroker, type TestBroker } from '../../test/support/test-broker.js';
import { openClients } from '../../test/support/open-clients.js';

let broker: TestBroker;
const clients = openClients();

afterEach(async () => {
  await clients.endAll();
  await broker.dispose();
});

const client = (id: string): Promise<MqttClient> => clients.connect(broker.mqttUrl, { clientId: id });

const container = (seq: number, householdId = 'h-1', agentId = 'a-1'): ReadingContainer => ({
  householdId,
  agentId,
  seq,
  createdAtMs: Date.now(),
  measurements: [{ deviceId: 'fridge, kitchen', quantity: 'power_w', value: 98.25, timestampMs: Date.now() - 10 }],
});

// Readings over TCP take the fast path by default (decision 011); every case also runs through Aedes alone.
describe.each(['true', 'false'])('broker (readings fast path: %s)', (fastPath) => {
  beforeEach(async () => {
    broker = await startTestBroker({ EM_BROKER_READINGS_FAST_PATH: fastPath });
  });

  it('when a valid container is published at QoS1, then it is in the journal by the time the PUBACK arrives', async () => {
    const agent = await client('a-1');
    await agent.publishAsync(readingsTopic('h-1', 'a-1'), Buffer.from(encodeContainer(container(1))), { qos: 1 });
    const entries = broker.journal.peekContainers({ maxEntries: 10 });
    expect(entries).toHaveLength(1);
    expect(decodeContainer(entries[0]?.container ?? new Uint8Array()).measurements[0]?.deviceId).toBe('fridge, kitchen');
  });

  it('when a malformed payload and a foreign-household payload arrive, then both are dead-lettered, acked, not forwarded, and valid traffic flows', async () => {
    const watcher = await client('watcher');
    const seen: string[] = [];
    watcher.on('message', (topic) => seen.push(topic));
    await watcher.subscribeAsync('em/v1/#', { qos: 1 });
    const agent = await client('a-1');
    const topic = readingsTopic('h-1', 'a-1');
    await agent.publishAsync(topic, Buffer.from([1, 2, 3, 250, 251]), { qos: 1 });
    await agent.publishAsync(topic, Buffer.from(encodeContainer(container(2, 'h-other'))), { qos: 1 });
    await agent.publishAsync(topic, Buffer.from(encodeContainer(container(3))), { qos: 1 });
    await expect.poll(() => seen.length).toBe(1);
    expect(agent.connected).toBe(true);
    expect(broker.journal.depth().entries).toBe(1);
    expect(broker.deadLetters.list().map((l) => l.reason)).toEqual(['decode', 'topic-mismatch']);
    expect(broker.deadLetters.list()[1]?.detail).toMatch(/h-other/);
  });

  it('when a client sends a packet over the size limit, then only that connection is closed', async () => {
    const bystander = await client('bystander');
    const socket = connectTcp(broker.addresses.mqttPort, '127.0.0.1');
    await new Promise((resolve) => socket.once('connect', resolve));
    socket.write(generate({ cmd: 'connect', clientId: 'big', protocolId: 'MQTT', protocolVersion: 4, clean: true, keepalive: 30 }));
    // Only the header of a 10 MB publish: the broker must refuse it without waiting for the body.
    const header = generate({ cmd: 'publish', topic: 'x', payload: Buffer.alloc(10 * 1024 * 1024), qos: 0, dup: false, retain: false });
    socket.write(header.subarray(0, 16));
    await new Promise((resolve) => socket.once('close', resolve));
    expect(await broker.registry.getSingleMetricAsString('em_broker_oversize_packets_total')).toMatch(/ 1$/m);
    await bystander.publishAsync('other/topic', 'still fine', { qos: 1 });
    expect(bystander.connected).toBe(true);
  });

  it('when a client publishes to $SYS, then the broker refuses it [MQTT-4.7.2-1]', async () => {
    const rogue = await client('rogue');
    const closed = new Promise<void>((resolve) => rogue.once('close', () => resolve()));
    rogue.publish('$SYS/fake', 'x', { qos: 1 });
    await closed;
    expect(broker.journal.depth().entries).toBe(0);
  });

  it('when clients use other topics, then it behaves as a plain MQTT broker (retained, QoS1 delivery)', async () => {
    const publisher = await client('pub');
    await publisher.publishAsync('house/notes', 'retained hello', { qos: 1, retain: true });
    const reader = await client('reader');
    const got = new Promise<string>((resolve) => reader.once('message', (_t, payload) => resolve(payload.toString())));
    await reader.subscribeAsync('house/#', { qos: 1 });
    expect(await got).toBe('retained hello');
  });
});
