// A subscriber that stops reading its socket must cost only itself: Aedes holds a delivery until
// every matching socket has taken it, so without a bound one stalled reader stopped delivery for
// everyone, grew the broker's memory by hundreds of MB and finally crashed it (live-forward.ts).
import { once } from 'node:events';
import { connect as connectTcp, type Socket } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { generate } from 'mqtt-packet';
import { connectAsync } from 'mqtt';
import { encodeContainer, type Measurement } from '../../proto/container.js';
import { readingsTopic } from '../../proto/topics.js';
import { startTestBroker, type TestBroker } from '../../test/support/test-broker.js';
import { openClients } from '../../test/support/open-clients.js';

let broker: TestBroker | undefined;
const clients = openClients();
const sockets: Socket[] = [];

afterEach(async () => {
  for (const socket of sockets.splice(0)) socket.destroy();
  await clients.endAll();
  await broker?.dispose();
  broker = undefined;
});

/** A valid container of about 30 KB: many measurements, so a few hundred fill any socket buffer. */
function bigContainer(seq: number): Uint8Array {
  const now = Date.now();
  const measurements: Measurement[] = Array.from({ length: 900 }, (_, i) => ({
    deviceId: `socket-${String(i).padStart(4, '0')}`,
    quantity: 'power_w',
    value: i + seq / 1000,
    timestampMs: now - 1000,
  }));
  return encodeContainer({ householdId: 'h-slow', agentId: 'a-1', seq, createdAtMs: now, measurements });
}

async function counter(b: TestBroker, name: string): Promise<number> {
  const text = await b.registry.getSingleMetricAsString(name);
  return Number(/ (\d+)$/m.exec(text)?.[1] ?? 'NaN');
}

describe('a subscriber that stops reading', () => {
  it('when it stalls, then it alone is disconnected, others keep receiving, and the readings are all journaled', async () => {
    // 900 device ids per container fill sockets fast; no real agent has as many, nor sends 360,000
    // readings at once (broker/README.md, "Per-agent limits"): the device bound and readings pace off.
    broker = await startTestBroker({ EM_BROKER_SLOW_CONSUMER_TIMEOUT_MS: '500', EM_BROKER_MAX_DEVICES_PER_AGENT: '0', EM_BROKER_AGENT_READINGS_PER_S: '0' });
    const b = broker;

    // The stalled reader: subscribes to every household's readings, then never reads again.
    const stalled = connectTcp(b.addresses.mqttPort, '127.0.0.1');
    sockets.push(stalled);
    stalled.on('error', () => undefined);
    await once(stalled, 'connect');
    stalled.write(generate({ cmd: 'connect', clientId: 'stalled', protocolId: 'MQTT', protocolVersion: 4, clean: true, keepalive: 0 }));
    stalled.write(generate({ cmd: 'subscribe', messageId: 1, subscriptions: [{ topic: 'em/v1/+/+/readings', qos: 0 }] }));
    await new Promise((resolve) => setTimeout(resolve, 200));
    stalled.pause();

    // A well-behaved subscriber on another topic, and a publisher for it.
    const chat = await connectAsync(b.mqttUrl, { clientId: 'chat-reader', clean: true });
    clients.keep(chat);
    await chat.subscribeAsync('chat/x', { qos: 1 });
    const chatReceived: string[] = [];
    chat.on('message', (_topic, payload) => chatReceived.push(payload.toString()));
    const talker = await connectAsync(b.mqttUrl, { clientId: 'chat-writer', clean: true });
    clients.keep(talker);

    // The agent floods readings (QoS 1: each is journaled before its PUBACK).
    const agent = await connectAsync(b.mqttUrl, { clientId: 'agent-slow', clean: true });
    clients.keep(agent);
    const topic = readingsTopic('h-slow', 'a-1');
    const containers = 400;
    const acked = Promise.all(Array.from({ length: containers }, (_, i) => agent.publishAsync(topic, Buffer.from(bigContainer(i + 1)), { qos: 1 })));

    // While the flood is under way and the stalled reader holds its deliveries, the other
    // subscriber still gets what is published to it.
    await new Promise((resolve) => setTimeout(resolve, 300));
    for (let i = 0; i < 5; i++) await talker.publishAsync('chat/x', `hello ${i}`, { qos: 1 });
    await acked;
    // The broker ends the stalled connection (the client, not reading, may not notice for a while:
    // the FIN waits behind the bytes it never took).
    await expect.poll(() => counter(b, 'em_broker_slow_consumers_disconnected_total'), { timeout: 5000 }).toBe(1);
    await expect.poll(() => chatReceived, { timeout: 5000 }).toEqual(['hello 0', 'hello 1', 'hello 2', 'hello 3', 'hello 4']);
    expect(b.journal.depth().entries).toBe(containers);

    // The broker still serves: a new subscriber gets the next reading.
    const late = await connectAsync(b.mqttUrl, { clientId: 'late', clean: true });
    clients.keep(late);
    await late.subscribeAsync(topic, { qos: 0 });
    const next = new Promise<void>((resolve) => late.once('message', () => resolve()));
    await agent.publishAsync(topic, Buffer.from(bigContainer(containers + 1)), { qos: 1 });
    await next;
  }, 60_000);
});
