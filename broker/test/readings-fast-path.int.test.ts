// Readings publishes taken off TCP connections before Aedes parses them (broker/readings-fast-path.ts),
// over real sockets: whatever the fast path takes or leaves, the connection behaves as one MQTT
// 3.1.1 connection, in order, and nothing acknowledged is missing from the journal.
import { connect as connectTcp, type Socket } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { generate, parser as mqttParser, type Packet } from 'mqtt-packet';
import { connectAsync, type MqttClient } from 'mqtt';
import { openLmdbJournal } from '../../lib/journal/lmdb-journal.js';
import { decodeContainer, encodeContainer } from '../../proto/container.js';
import { readingsTopic, statusTopic } from '../../proto/topics.js';
import { MAX_IN_FLIGHT } from '../readings-fast-path.js';
import { startTestBroker, type TestBroker } from '../../test/support/test-broker.js';

let broker: TestBroker | undefined;
const sockets: Socket[] = [];
afterEach(async () => {
  for (const socket of sockets.splice(0)) socket.destroy();
  await broker?.dispose();
  broker = undefined;
});

const HOUSEHOLD = 'h-fast';
const AGENT = 'a-1';
const topic = readingsTopic(HOUSEHOLD, AGENT);

const reading = (seq: number): Buffer =>
  Buffer.from(encodeContainer({ householdId: HOUSEHOLD, agentId: AGENT, seq, createdAtMs: Date.now(), measurements: [{ deviceId: 'plug', quantity: 'power_w', value: seq, timestampMs: Date.now() - 5 }] }));

const publish = (messageId: number, seq = messageId): Buffer =>
  generate({ cmd: 'publish', topic, payload: reading(seq), qos: 1, messageId, retain: false, dup: false });

/** A bare MQTT connection that records every packet the broker sends, in order. */
async function rawClient(b: TestBroker, keepalive = 30): Promise<{ socket: Socket; received: Packet[]; closed: Promise<void> }> {
  const socket = connectTcp(b.addresses.mqttPort, '127.0.0.1');
  socket.setNoDelay(true);
  sockets.push(socket);
  const received: Packet[] = [];
  const parse = mqttParser({ protocolVersion: 4 });
  parse.on('packet', (packet: Packet) => received.push(packet));
  socket.on('data', (chunk: Buffer) => parse.parse(chunk));
  socket.on('error', () => undefined);
  const closed = new Promise<void>((resolve) => socket.once('close', () => resolve()));
  await new Promise((resolve) => socket.once('connect', resolve));
  socket.write(generate({ cmd: 'connect', clientId: `fast-${sockets.length}`, protocolId: 'MQTT', protocolVersion: 4, clean: true, keepalive }));
  await expect.poll(() => received.map((p) => p.cmd)).toEqual(['connack']);
  received.length = 0;
  return { socket, received, closed };
}

async function takenTotal(b: TestBroker): Promise<number> {
  const text = await b.registry.getSingleMetricAsString('em_broker_readings_fast_path_total');
  return Number(/ (\d+)$/m.exec(text)?.[1] ?? 'NaN');
}

/** A subscriber to the readings topic, and the seqs it receives, in order. */
async function watchSeqs(b: TestBroker): Promise<{ subscriber: MqttClient; seen: number[] }> {
  const subscriber = await connectAsync(b.mqttUrl, { clientId: 'order-watcher', reconnectPeriod: 0 });
  const seen: number[] = [];
  subscriber.on('message', (_topic, payload) => seen.push(decodeContainer(payload).seq));
  await subscriber.subscribeAsync(topic, { qos: 1 });
  return { subscriber, seen };
}

/** What the broker answered, in order: `puback:1`, `pingresp`, … */
const answers = (received: readonly Packet[]): string[] =>
  received.map((p) => ('messageId' in p && p.messageId !== undefined ? `${p.cmd}:${p.messageId}` : p.cmd));

describe('readings fast path', () => {
  it('when readings and other packets arrive in one write, then each gets its answer in order and only the readings are taken', async () => {
    broker = await startTestBroker();
    const { socket, received } = await rawClient(broker);
    socket.write(
      Buffer.concat([
        publish(1),
        generate({ cmd: 'pingreq' }),
        publish(2),
        // A DUP readings publish is still ours.
        generate({ cmd: 'publish', topic, payload: reading(5), qos: 1, messageId: 5, retain: false, dup: true }),
        // Aedes': a retained status publish, then a QoS 0 reading (not 0x32), which once a PUBLISH
        // is with Aedes would be left to it anyway, to keep order.
        generate({ cmd: 'publish', topic: statusTopic(HOUSEHOLD, AGENT), payload: Buffer.from('online'), qos: 1, messageId: 3, retain: true, dup: false }),
        generate({ cmd: 'publish', topic, payload: reading(4), qos: 0, retain: false, dup: false }),
        generate({ cmd: 'subscribe', messageId: 6, subscriptions: [{ topic: 'em/v1/+/+/status', qos: 1 }] }),
      ]),
    );
    await expect.poll(() => received.filter((p) => p.cmd !== 'publish').length).toBe(6);
    const replies = answers(received.filter((p) => p.cmd !== 'publish'));
    expect([...replies].sort()).toEqual(['pingresp', 'puback:1', 'puback:2', 'puback:3', 'puback:5', 'suback:6']);
    // Aedes' answers keep their order among themselves; taken readings are acknowledged when durable.
    expect(replies.filter((a) => a === 'pingresp' || a === 'puback:3' || a === 'suback:6')).toEqual(['pingresp', 'puback:3', 'suback:6']);
    expect(replies.filter((a) => a.startsWith('puback:') && a !== 'puback:3')).toEqual(['puback:1', 'puback:2', 'puback:5']);
    // The retained status reached the new subscription: Aedes kept it.
    await expect.poll(() => received.some((p) => p.cmd === 'publish' && p.topic === statusTopic(HOUSEHOLD, AGENT))).toBe(true);
    expect(await takenTotal(broker)).toBe(3);
    await expect.poll(() => broker?.journal.depth().entries).toBe(4);
  });

  it('when a readings publish straddles two reads, then Aedes takes it and the one behind it, all acknowledged, journaled and forwarded in order', async () => {
    broker = await startTestBroker();
    const { subscriber, seen } = await watchSeqs(broker);
    try {
      const { socket, received } = await rawClient(broker);
      const packet = publish(1);
      socket.write(Buffer.concat([publish(7), packet.subarray(0, 40)]));
      await new Promise((resolve) => setTimeout(resolve, 100));
      socket.write(Buffer.concat([packet.subarray(40), publish(8)]));
      await expect.poll(() => answers(received).sort()).toEqual(['puback:1', 'puback:7', 'puback:8']);
      // 7 was taken; 8 waited behind 1, which Aedes had, so Aedes took 8 too [MQTT-4.6.0-6].
      expect(await takenTotal(broker)).toBe(1);
      expect(broker.journal.depth().entries).toBe(3);
      await expect.poll(() => seen).toEqual([7, 1, 8]);
    } finally {
      await subscriber.endAsync(true);
    }
  });

  it('when small publishes taken here alternate with large ones Aedes takes, then a subscriber gets them in the order sent [MQTT-4.6.0-6], and taking resumes', async () => {
    // The large ones carry 900 device ids each, more than an agent may report (broker/README.md, "Per-agent limits").
    broker = await startTestBroker({ EM_BROKER_MAX_DEVICES_PER_AGENT: '0' });
    const { subscriber, seen } = await watchSeqs(broker);
    try {
      const { socket, received } = await rawClient(broker);
      // A third are ~50 KB: they span socket reads, so Aedes parses them.
      const large = (seq: number): Buffer => {
        const now = Date.now();
        const measurements = Array.from({ length: 900 }, (_, i) => ({ deviceId: `device-${'x'.repeat(40)}${i}`, quantity: 'power_w' as const, value: seq, timestampMs: now - 5 }));
        const payload = Buffer.from(encodeContainer({ householdId: HOUSEHOLD, agentId: AGENT, seq, createdAtMs: now, measurements }));
        return generate({ cmd: 'publish', topic, payload, qos: 1, messageId: seq, retain: false, dup: false });
      };
      const count = 150;
      socket.write(Buffer.concat(Array.from({ length: count }, (_, i) => (i % 3 === 2 ? large(i + 1) : publish(i + 1)))));
      await expect.poll(() => received.length, { timeout: 10_000 }).toBe(count);
      await expect.poll(() => seen.length, { timeout: 10_000 }).toBe(count);
      expect(seen).toEqual(Array.from({ length: count }, (_, i) => i + 1));
      // Once Aedes has published what it was left, small ones are taken here again. The subscriber
      // can see the last of them a moment before Aedes counts it published (its 'publish' event),
      // and a publish sent in that moment still goes to Aedes, in order: so send until one is taken.
      const current = broker;
      const before = await takenTotal(current);
      let next = count;
      await expect
        .poll(async () => {
          socket.write(publish(++next));
          await expect.poll(() => answers(received).at(-1)).toBe(`puback:${next}`);
          return (await takenTotal(current)) - before;
        })
        .toBeGreaterThan(0);
    } finally {
      await subscriber.endAsync(true);
    }
  });

  it('when only readings arrive, then the keepalive timer still sees them, and it still closes a silent connection [MQTT-3.1.2-24]', async () => {
    broker = await startTestBroker();
    const { socket, received, closed } = await rawClient(broker, 1);
    let isClosed = false;
    void closed.then(() => (isClosed = true));
    // 1 s keepalive: Aedes closes after 1.5 s without a packet. Readings every 300 ms for 2.1 s.
    for (let id = 1; id <= 7; id++) {
      socket.write(publish(id));
      await new Promise((resolve) => setTimeout(resolve, 300));
    }
    expect(isClosed).toBe(false);
    expect(received).toHaveLength(7);
    expect(await takenTotal(broker)).toBe(7);
    const silentFrom = Date.now();
    await closed;
    expect(Date.now() - silentFrom).toBeLessThan(3000);
  });

  it('when PUBACKs are held (journal over its high-water mark), then a connection that keeps publishing is stopped being read', async () => {
    // One agent sends 2,010 at once: without its pace (broker/README.md, "Per-agent limits"), only the journal holds them.
    broker = await startTestBroker({ EM_BROKER_JOURNAL_HIGH_WATER_ENTRIES: '10', EM_BROKER_JOURNAL_DEPTH_POLL_MS: '20', EM_BROKER_AGENT_PUBLISHES_PER_S: '0' });
    const { socket, received } = await rawClient(broker);
    for (let id = 1; id <= 10; id++) socket.write(publish(id));
    await expect.poll(() => received.length).toBe(10);
    await new Promise((resolve) => setTimeout(resolve, 100));
    // 2,000 more, and nobody drains the journal: every one of them waits. A PINGREQ now and then
    // makes Aedes read the socket, which must not start it again while the fast path holds it.
    const packetBytes = publish(11).byteLength;
    for (let id = 11; id <= 2010; id++) socket.write(id % 50 === 0 ? Buffer.concat([generate({ cmd: 'pingreq' }), publish(id)]) : publish(id));
    await new Promise((resolve) => setTimeout(resolve, 1000));
    const taken = (await takenTotal(broker)) - 10;
    // At most MAX_IN_FLIGHT, plus the rest of the read that passed it.
    expect(taken).toBeGreaterThanOrEqual(MAX_IN_FLIGHT);
    expect(taken).toBeLessThanOrEqual(MAX_IN_FLIGHT + Math.ceil((64 * 1024) / packetBytes));
    expect(received.filter((p) => p.cmd === 'puback')).toHaveLength(10);
    // A consumer drains the journal: the PUBACKs flow, the socket is read again, all are answered.
    const consumer = await openLmdbJournal(broker.config.journalPath, 'consumer');
    const drain = setInterval(() => {
      const entries = consumer.peekContainers({ maxEntries: 5000 });
      if (entries.length > 0) void consumer.removeContainers(entries.map((entry) => entry.key));
    }, 20);
    try {
      await expect.poll(() => received.filter((p) => p.cmd === 'puback').length, { timeout: 15_000 }).toBe(2010);
      expect(new Set(received.filter((p) => p.cmd === 'puback').map((p) => ('messageId' in p ? p.messageId : 0))).size).toBe(2010);
    } finally {
      clearInterval(drain);
      await consumer.close();
    }
  });

  it('when a DISCONNECT comes between readings in one write, then nothing after it is taken: the rest is Aedes\' to discard or not', async () => {
    broker = await startTestBroker();
    const { socket, closed } = await rawClient(broker);
    socket.write(Buffer.concat([publish(1), generate({ cmd: 'disconnect' }), publish(2), publish(3)]));
    await closed;
    expect(await takenTotal(broker)).toBe(1);
  });

  it('when switched off, then Aedes takes every publish and the readings are journaled as before', async () => {
    broker = await startTestBroker({ EM_BROKER_READINGS_FAST_PATH: 'false' });
    const { socket, received } = await rawClient(broker);
    socket.write(Buffer.concat([publish(1), generate({ cmd: 'pingreq' }), publish(2)]));
    await expect.poll(() => answers(received).sort()).toEqual(['pingresp', 'puback:1', 'puback:2']);
    expect(broker.journal.depth().entries).toBe(2);
    expect(broker.registry.getSingleMetric('em_broker_readings_fast_path_total')).toBeUndefined();
  });

  it('when MQTT.js agents publish readings at QoS1 over the fast path, then each PUBACK means the reading is journaled', async () => {
    broker = await startTestBroker();
    const agent = await connectAsync(broker.mqttUrl, { clientId: 'mqttjs-agent', reconnectPeriod: 0 });
    try {
      for (let seq = 1; seq <= 20; seq++) {
        await agent.publishAsync(topic, reading(seq), { qos: 1 });
        expect(broker.journal.depth().entries).toBe(seq);
      }
      expect(await takenTotal(broker)).toBe(20);
      // Counted as plain numbers, added at scrape time: a second scrape adds nothing twice.
      for (let scrape = 0; scrape < 2; scrape++) {
        expect(await broker.registry.getSingleMetricAsString('em_broker_publishes_in_total')).toMatch(/outcome="journaled"[^}]*} 20$/m);
        const bytes = Number(/ (\d+)$/m.exec(await broker.registry.getSingleMetricAsString('em_broker_readings_bytes_in_total'))?.[1]);
        expect(bytes).toBe(Array.from({ length: 20 }, (_, i) => reading(i + 1).byteLength).reduce((a, b) => a + b, 0));
      }
      // One at a time, so one group commit, and one fsync, each.
      const commits = await broker.registry.getSingleMetricAsString('em_broker_journal_commit_entries');
      expect(commits).toMatch(/^em_broker_journal_commit_entries_sum(\{[^}]*\})? 20$/m);
      expect(commits).toMatch(/^em_broker_journal_commit_entries_count(\{[^}]*\})? 20$/m);
      expect(commits).toMatch(/^em_broker_journal_commit_entries_bucket\{le="1"[^}]*\} 20$/m);
      expect(await broker.registry.getSingleMetricAsString('em_broker_journal_commit_seconds')).toMatch(/^em_broker_journal_commit_seconds_count(\{[^}]*\})? 20$/m);
    } finally {
      await agent.endAsync(true);
    }
  });
});
