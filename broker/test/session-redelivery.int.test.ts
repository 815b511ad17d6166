// A persistent session resumed over a real socket: what the broker re-sends carries DUP 1
// [MQTT-3.3.1-1] and the original packet identifiers [MQTT-4.4.0-1]; what it sends for the first
// time (queued while offline, or live) carries DUP 0 (broker/redelivery-dup.ts).
import { afterEach, describe, expect, it } from 'vitest';
import { connectAsync } from 'mqtt';
import { generate, type IPublishPacket, type Packet } from 'mqtt-packet';
import { startTestBroker, type TestBroker } from '../../test/support/test-broker.js';
import { openRawMqtt, type RawMqttConnection } from './raw-mqtt-connection.js';

let broker: TestBroker | undefined;
const raws: RawMqttConnection[] = [];
afterEach(async () => {
  for (const raw of raws.splice(0)) raw.destroy();
  await broker?.dispose();
  broker = undefined;
});

const CLIENT_ID = 'resuming';
const TOPIC = 'conf/session';

async function resume(b: TestBroker): Promise<RawMqttConnection> {
  const raw = await openRawMqtt('tcp', b);
  raws.push(raw);
  raw.write(generate({ cmd: 'connect', clientId: CLIENT_ID, protocolId: 'MQTT', protocolVersion: 4, clean: false, keepalive: 30 }));
  await expect.poll(() => raw.received[0]?.cmd).toBe('connack');
  return raw;
}

const publishes = (received: readonly Packet[]): IPublishPacket[] => received.filter((p): p is IPublishPacket => p.cmd === 'publish');
const summary = (packets: readonly IPublishPacket[]): Array<[string, number | undefined, boolean]> => packets.map((p) => [p.payload.toString(), p.messageId, p.dup]);

describe('session redelivery', () => {
  it('when a resumed session gets unacknowledged messages again, then they carry DUP 1 and their first packet identifiers, and new ones DUP 0', async () => {
    broker = await startTestBroker();
    const first = await resume(broker);
    first.write(generate({ cmd: 'subscribe', messageId: 1, subscriptions: [{ topic: TOPIC, qos: 1 }] }));
    await expect.poll(() => first.received.map((p) => p.cmd)).toEqual(['connack', 'suback']);
    first.write(generate({ cmd: 'disconnect' }));
    await first.closed;

    const publisher = await connectAsync(broker.mqttUrl, { clientId: 'publisher', reconnectPeriod: 0 });
    for (const payload of ['m0', 'm1', 'm2']) await publisher.publishAsync(TOPIC, payload, { qos: 1 });

    // Queued while offline: sent for the first time now, DUP 0. Not acknowledged.
    const second = await resume(broker);
    await expect.poll(() => publishes(second.received).length).toBe(3);
    const sent = publishes(second.received);
    expect(summary(sent).map(([payload, , dup]) => [payload, dup])).toEqual([['m0', false], ['m1', false], ['m2', false]]);
    second.destroy();
    await second.closed;

    // Re-sent: DUP 1, same identifiers [MQTT-4.4.0-1]. A live message after them is a first attempt.
    const third = await resume(broker);
    await expect.poll(() => publishes(third.received).length).toBe(3);
    expect(summary(publishes(third.received))).toEqual(sent.map((p) => [p.payload.toString(), p.messageId, true]));
    for (const p of publishes(third.received)) third.write(generate({ cmd: 'puback', messageId: p.messageId as number }));
    await publisher.publishAsync(TOPIC, 'live', { qos: 1 });
    await expect.poll(() => publishes(third.received).length).toBe(4);
    expect(publishes(third.received)[3]).toMatchObject({ dup: false });
    expect(publishes(third.received)[3]?.payload.toString()).toBe('live');
    third.write(generate({ cmd: 'puback', messageId: publishes(third.received)[3]?.messageId as number }));
    await new Promise((resolve) => setTimeout(resolve, 100));

    // Acknowledged: nothing is re-sent on the next resume.
    third.destroy();
    await third.closed;
    const fourth = await resume(broker);
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(summary(publishes(fourth.received))).toEqual([]);
    await publisher.endAsync();
  });
});
