// MQTT 3.1.1 rules the broker enforces on raw bytes before Aedes parses them
// (broker/packet-conformance.ts), over real sockets, TCP (readings fast path on, the default) and
// MQTT/WebSocket: strings that are not valid UTF-8 or hold U+0000 [MQTT-1.5.3-1] [MQTT-1.5.3-2],
// packet identifier 0 [MQTT-2.3.1-1], a zero-length client id without clean session
// [MQTT-3.1.3-8], an unsupported protocol level [MQTT-3.1.2-2]. Each refused connection closes; a
// well-behaved client on another connection, subscribed to everything, sees nothing of it and keeps working.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connectAsync, type MqttClient } from 'mqtt';
import { generate } from 'mqtt-packet';
import { encodeContainer } from '../../proto/container.js';
import { readingsTopic } from '../../proto/topics.js';
import { startTestBroker, type TestBroker } from '../../test/support/test-broker.js';
import { closedWithin, connectPacket, field, openRawMqtt, packet, publishPacket, type RawMqttConnection, type Transport } from './raw-mqtt-connection.js';

const CLOSE_MS = 2000;
const NOT_UTF8 = Buffer.from([0x63, 0x2f, 0xc3, 0x28]); // "c/" then a lead byte with no continuation
const SURROGATE = Buffer.from([0x63, 0x2f, 0xed, 0xa0, 0x80]); // U+D800 encoded [MQTT-1.5.3-1]

const container = (householdId: string, seq: number): Buffer =>
  Buffer.from(encodeContainer({ householdId, agentId: 'a-1', seq, createdAtMs: Date.now(), measurements: [{ deviceId: 'plug', quantity: 'power_w', value: seq, timestampMs: Date.now() - 5 }] }));

describe.each(['tcp', 'ws'] as const)('MQTT 3.1.1 conformance over %s', (transport: Transport) => {
  let broker: TestBroker;
  let good: MqttClient;
  const seen: string[] = [];
  let connections = 0;

  beforeAll(async () => {
    broker = await startTestBroker();
    good = await connectAsync(broker.mqttUrl, { clientId: `good-${transport}`, reconnectPeriod: 0 });
    good.on('message', (_topic, payload) => seen.push(payload.toString('latin1')));
    await good.subscribeAsync('#', { qos: 1 });
  });
  afterAll(async () => {
    // Every refusal above reached Aedes as a client or connection error, so it is counted.
    const text = await broker.registry.getSingleMetricAsString('em_broker_client_errors_total');
    expect(Number(/ (\d+)$/m.exec(text)?.[1] ?? 0)).toBeGreaterThanOrEqual(20);
    await good.endAsync(true);
    await broker.dispose();
  });

  /** A raw connection that has sent a valid CONNECT and got CONNACK 0. */
  async function connected(): Promise<RawMqttConnection> {
    const raw = await openRawMqtt(transport, broker);
    raw.write(generate({ cmd: 'connect', clientId: `raw-${transport}-${++connections}`, protocolId: 'MQTT', protocolVersion: 4, clean: true, keepalive: 30 }));
    await expect.poll(() => raw.received.map((p) => p.cmd)).toEqual(['connack']);
    return raw;
  }

  /** The good client is still connected, and a QoS 1 round trip through the broker works. */
  async function expectGoodClientUnaffected(): Promise<void> {
    expect(good.connected).toBe(true);
    const marker = `still-fine-${++connections}`;
    await good.publishAsync('conf/good', marker, { qos: 1 });
    await expect.poll(() => seen.includes(marker)).toBe(true);
  }

  const publishes: Array<[string, (marker: Buffer) => Buffer]> = [
    ['a QoS 1 topic containing U+0000', (m) => publishPacket('conf/a\u0000b', { qos: 1, messageId: 3, payload: m })],
    ['a QoS 0 topic containing U+0000', (m) => publishPacket('conf/\u0000', { payload: m })],
    ['a readings topic ending in U+0000', (m) => publishPacket(`${readingsTopic('h-conf', 'a-1')}\u0000`, { qos: 1, messageId: 4, payload: m })],
    ['a QoS 1 topic that is not valid UTF-8', (m) => publishPacket(NOT_UTF8, { qos: 1, messageId: 5, payload: m })],
    ['a QoS 0 topic with an encoded surrogate', (m) => publishPacket(SURROGATE, { payload: m })],
    ['QoS 1 with packet identifier 0', (m) => publishPacket('conf/zero', { qos: 1, messageId: 0, payload: m })],
    ['QoS 2 with packet identifier 0', (m) => publishPacket('conf/zero', { qos: 2, messageId: 0, payload: m })],
    ['QoS 0 with DUP 1', (m) => Buffer.from([0x38, ...publishPacket('conf/dup0', { payload: m }).subarray(1)])],
    ['a readings publish with packet identifier 0 (the fast path on TCP)', () => publishPacket(readingsTopic('h-conf', 'a-1'), { qos: 1, messageId: 0, payload: container('h-conf', 1) })],
  ];

  it.each(publishes)('when a PUBLISH has %s, then the connection closes without an acknowledgement and nothing is delivered', async (_name, build) => {
    const raw = await connected();
    const marker = Buffer.from(`bad-${transport}-${++connections}`);
    raw.write(build(marker));
    expect(await closedWithin(raw, CLOSE_MS)).toBe(true);
    expect(raw.received.map((p) => p.cmd)).toEqual(['connack']);
    await expectGoodClientUnaffected();
    expect(seen).not.toContain(marker.toString('latin1'));
    expect(broker.journal.peekContainers({ maxEntries: 100 })).toHaveLength(0);
  });

  it('when a bad PUBLISH arrives one byte per read, then it is refused all the same', async () => {
    const raw = await connected();
    const marker = Buffer.from(`split-${transport}`);
    const bytes = Buffer.concat([publishPacket('conf/ok', { qos: 1, messageId: 1, payload: Buffer.from('fine') }), publishPacket(NOT_UTF8, { qos: 1, messageId: 2, payload: marker })]);
    for (const byte of bytes) {
      raw.write(Buffer.from([byte]));
      await new Promise((resolve) => setTimeout(resolve, 2));
    }
    expect(await closedWithin(raw, CLOSE_MS)).toBe(true);
    expect(raw.received.map((p) => p.cmd)).toEqual(['connack', 'puback']);
    await expectGoodClientUnaffected();
    expect(seen).not.toContain(marker.toString('latin1'));
  });

  const others: Array<[string, Buffer]> = [
    ['a SUBSCRIBE filter containing U+0000', packet(0x82, Buffer.concat([Buffer.from([0, 7]), field(Buffer.from('conf/\u0000')), Buffer.from([1])]))],
    ['a SUBSCRIBE filter that is not valid UTF-8', packet(0x82, Buffer.concat([Buffer.from([0, 7]), field(NOT_UTF8), Buffer.from([1])]))],
    ['a SUBSCRIBE with packet identifier 0', packet(0x82, Buffer.concat([Buffer.from([0, 0]), field(Buffer.from('conf/x')), Buffer.from([1])]))],
    ['an UNSUBSCRIBE filter that is not valid UTF-8', packet(0xa2, Buffer.concat([Buffer.from([0, 8]), field(NOT_UTF8)]))],
  ];

  it.each(others)('when the client sends %s, then the connection closes without an answer', async (_name, bytes) => {
    const raw = await connected();
    raw.write(bytes);
    expect(await closedWithin(raw, CLOSE_MS)).toBe(true);
    expect(raw.received.map((p) => p.cmd)).toEqual(['connack']);
    await expectGoodClientUnaffected();
  });

  const badConnects: Array<[string, Buffer]> = [
    ['a client id that is not valid UTF-8', connectPacket({ clientId: NOT_UTF8 })],
    ['a will topic containing U+0000', connectPacket({ clientId: 'will-nul', willTopic: Buffer.from('conf/w\u0000') })],
    ['a will topic with a + wildcard', connectPacket({ clientId: 'will-plus', willTopic: Buffer.from('conf/+/w') })],
    ['a will topic with a # wildcard', connectPacket({ clientId: 'will-hash', willTopic: Buffer.from('conf/#') })],
    ['a user name that is not valid UTF-8', connectPacket({ clientId: 'user-bad', username: NOT_UTF8 })],
  ];

  it.each(badConnects)('when a CONNECT has %s, then the connection closes without a CONNACK', async (_name, bytes) => {
    const raw = await openRawMqtt(transport, broker);
    raw.write(bytes);
    expect(await closedWithin(raw, CLOSE_MS)).toBe(true);
    expect(raw.received).toEqual([]);
    await expectGoodClientUnaffected();
  });

  it('when a CONNECT has a zero-length client id and clean session 0, then CONNACK 0x02 and the connection closes [MQTT-3.1.3-8]', async () => {
    const raw = await openRawMqtt(transport, broker);
    raw.write(connectPacket({ clientId: '', clean: false }));
    expect(await closedWithin(raw, CLOSE_MS)).toBe(true);
    expect(raw.received).toMatchObject([{ cmd: 'connack', returnCode: 2, sessionPresent: false }]);
    await expectGoodClientUnaffected();
  });

  it('when a CONNECT is MQTT 3.1 (protocol name MQIsdp, level 3), then it is still accepted', async () => {
    const raw = await openRawMqtt(transport, broker);
    raw.write(connectPacket({ clientId: 'mqtt-3-1', protocolName: 'MQIsdp', level: 3 }));
    await expect.poll(() => raw.received).toMatchObject([{ cmd: 'connack', returnCode: 0 }]);
    raw.destroy();
  });

  it('when a CONNECT has a zero-length client id and clean session 1, then it is accepted with an id the server assigns [MQTT-3.1.3-6]', async () => {
    const raw = await openRawMqtt(transport, broker);
    raw.write(connectPacket({ clientId: '', clean: true }));
    await expect.poll(() => raw.received).toMatchObject([{ cmd: 'connack', returnCode: 0 }]);
    expect(await closedWithin(raw, 200)).toBe(false);
    raw.destroy();
  });

  it('when a PUBLISH arrives with DUP 1, then subscribers get it with DUP 0 [MQTT-3.3.1-3]', async () => {
    const watcher = await connected();
    watcher.write(generate({ cmd: 'subscribe', messageId: 1, subscriptions: [{ topic: 'conf/dup', qos: 1 }] }));
    await expect.poll(() => watcher.received.map((p) => p.cmd)).toContain('suback');
    const sender = await connected();
    sender.write(generate({ cmd: 'publish', topic: 'conf/dup', payload: Buffer.from('again'), qos: 1, messageId: 9, retain: false, dup: true }));
    await expect.poll(() => watcher.received.filter((p) => p.cmd === 'publish')).toHaveLength(1);
    expect(watcher.received.find((p) => p.cmd === 'publish')).toMatchObject({ topic: 'conf/dup', dup: false });
    watcher.destroy();
    sender.destroy();
  });

  it.each([
    ['MQTT', 0],
    ['MQTT', 2],
    ['MQTT', 3],
    ['MQTT', 5],
    ['MQTT', 6],
    ['MQTT', 255],
    ['MQIsdp', 4],
  ])('when a CONNECT has protocol name %s and level %i, then CONNACK 0x01 and the connection closes [MQTT-3.1.2-2]', async (protocolName, level) => {
    const raw = await openRawMqtt(transport, broker);
    raw.write(connectPacket({ clientId: `level-${level}`, protocolName, level }));
    expect(await closedWithin(raw, CLOSE_MS)).toBe(true);
    expect(raw.received).toMatchObject([{ cmd: 'connack', returnCode: 1, sessionPresent: false }]);
    await expectGoodClientUnaffected();
  });
});
