// Hostile bytes on the broker's TCP port, over real sockets: readings publishes with flipped bytes,
// cut short, split at random points, with lying length fields, wildcards in the topic, a zero
// packet identifier, garbage between packets. Whatever arrives, the broker must stay up, a
// well-behaved agent alongside must get every PUBACK, and the journal must hold only valid
// containers, each published on its own household's and agent's topic, the good agent's exactly
// once. Seeded, so a failure reproduces; runs over TCP with the readings fast path on and off, since
// the fast path reads raw packets before Aedes does (decision 011), and over MQTT/WebSocket.
import { once } from 'node:events';
import { connect as connectTcp, type Socket } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { generate, parser as mqttParser, type Packet } from 'mqtt-packet';
import { connectAsync } from 'mqtt';
import WebSocket from 'ws';
import { decodeContainer, encodeContainer } from '../../proto/container.js';
import { parseAgentTopic, readingsTopic } from '../../proto/topics.js';
import { seededRandom } from '../../test/support/seeded-random.js';
import { startTestBroker, type TestBroker } from '../../test/support/test-broker.js';

let broker: TestBroker | undefined;
afterEach(async () => {
  await broker?.dispose();
  broker = undefined;
});

const SEED = 20261124;
const ROUNDS = 60;
const GOOD_MESSAGES = 150;

const container = (householdId: string, agentId: string, seq: number): Buffer =>
  Buffer.from(
    encodeContainer({
      householdId,
      agentId,
      seq,
      createdAtMs: Date.now(),
      measurements: [{ deviceId: 'plug', quantity: 'power_w', value: seq, timestampMs: Date.now() - 5 }],
    }),
  );

interface HostileRound {
  readonly bytes: Buffer;
  readonly household: string;
  /** QoS 1 publishes in the round, each with its own packet identifier. */
  readonly publishes: number;
  /** Packet identifier → sequence number of a valid container published on the round's own topic. */
  readonly validById: ReadonlyMap<number, number>;
  /** Containers of its own household sent on its own topic, flipped bytes or not: at most these may be journaled. */
  readonly ownContainers: number;
  /** Nothing in it breaks the connection: every publish must be acknowledged. */
  readonly intact: boolean;
}

/** One round's bytes: a CONNECT, then pieces a hostile or broken client might send. */
function hostileRound(random: () => number, round: number): HostileRound {
  const int = (n: number): number => Math.floor(random() * n);
  const household = `h-hostile-${round}`;
  const topic = readingsTopic(household, 'a-1');
  let seq = 0;
  let messageId = 0;
  const validById = new Map<number, number>();
  let ownContainers = 0;
  const flip = (bytes: Buffer): Buffer => {
    const copy = Buffer.from(bytes);
    for (let n = 1 + int(3); n > 0; n--) copy[int(copy.length)] = int(256);
    return copy;
  };
  const own = (): Buffer => {
    ownContainers++;
    return container(household, 'a-1', ++seq);
  };
  const publish = (overrides: { topic?: string; payload?: Buffer; messageId?: number; dup?: boolean } = {}): Buffer =>
    generate({ cmd: 'publish', topic: overrides.topic ?? topic, payload: overrides.payload ?? own(), qos: 1, messageId: overrides.messageId ?? ++messageId, retain: false, dup: overrides.dup ?? false });
  const valid = (dup: boolean): Buffer => {
    const packet = publish({ dup });
    validById.set(messageId, seq);
    return packet;
  };
  // Well framed, whatever they carry: the connection must survive them.
  const survivable: Array<() => Buffer> = [
    () => valid(false),
    () => valid(true),
    () => publish({ payload: flip(own()) }),
    () => publish({ payload: Buffer.from(Array.from({ length: int(300) }, () => int(256))) }),
    () => publish({ payload: container('h-victim', 'a-1', ++seq) }),
    () => publish({ topic: readingsTopic('h-victim', 'a-1'), payload: container(household, 'a-1', ++seq) }),
    () => generate({ cmd: 'pingreq' }),
    () => generate({ cmd: 'subscribe', messageId: 1 + int(1000), subscriptions: [{ topic: 'em/v1/#', qos: 1 }] }),
  ];
  // Broken framing or a protocol violation: the broker may close the connection, nothing more.
  const fatal: Array<() => Buffer> = [
    () => flip(publish()),
    () => publish().subarray(0, 1 + int(40)),
    () => Buffer.from(Array.from({ length: 1 + int(64) }, () => int(256))),
    // Remaining Length longer than 4 bytes [MQTT-2.2.3], or announcing more than the packet cap.
    () => Buffer.from([0x32, 0xff, 0xff, 0xff, 0xff, 0x01]),
    () => Buffer.from([0x32, 0xff, 0xff, 0xff, 0x7f]),
    // A topic length pointing past the end of the packet.
    () => Buffer.from([0x32, 0x06, 0xff, 0xff, 0x41, 0x42, 0x00, 0x01]),
    // A zero packet identifier [MQTT-2.3.1-1]; wildcards in a PUBLISH topic [MQTT-3.3.2-2].
    () => publish({ messageId: 0 }),
    () => publish({ topic: 'em/v1/+/a-1/readings' }),
    () => publish({ topic: 'em/v1/#' }),
    () => publish({ topic: `${topic}\u0000` }),
    () => publish({ topic: topic.replace('a-1', 'a-\u00e9') }),
  ];
  const pick = (from: Array<() => Buffer>): Buffer => (from[int(from.length)] as () => Buffer)();
  const connect = generate({ cmd: 'connect', clientId: `hostile-${round}`, protocolId: 'MQTT', protocolVersion: 4, clean: true, keepalive: 30 });
  const body = Array.from({ length: 5 + int(20) }, () => pick(survivable));
  // Most rounds break at some point; what follows the break must be dropped, not misread.
  const breaks = int(4) > 0;
  if (breaks) body.splice(int(body.length + 1), 0, pick(fatal));
  const connectBroken = int(20) === 0;
  const bytes = Buffer.concat([connectBroken ? flip(connect) : connect, ...body]);
  return { bytes, household, publishes: messageId, validById, ownContainers, intact: !breaks && !connectBroken };
}

type Transport = 'tcp' | 'ws';

/** A raw byte pipe to the broker: TCP, or binary WebSocket messages (subprotocol "mqtt"). */
interface RawConnection {
  write(bytes: Buffer): void;
  readonly isClosed: () => boolean;
  readonly closed: Promise<void>;
  destroy(): void;
}

async function openRaw(transport: Transport, b: TestBroker, onData: (chunk: Buffer) => void): Promise<RawConnection> {
  // Closed or failed, either way the broker is done with this connection.
  const ended = (emitter: Socket | WebSocket): Promise<void> => once(emitter, 'close').then(() => undefined, () => undefined);
  if (transport === 'tcp') {
    const socket: Socket = connectTcp(b.addresses.mqttPort, '127.0.0.1');
    socket.on('data', onData);
    socket.on('error', () => undefined);
    const closed = ended(socket);
    await once(socket, 'connect');
    return { write: (bytes) => void (socket.destroyed || socket.write(bytes)), isClosed: () => socket.closed, closed, destroy: () => socket.destroy() };
  }
  const ws = new WebSocket(`ws://127.0.0.1:${b.addresses.wsPort}/`, 'mqtt');
  ws.on('message', (data: Buffer) => onData(data));
  ws.on('error', () => undefined);
  const closed = ended(ws);
  await once(ws, 'open');
  // MQTT packets need not align with WebSocket messages [MQTT-6.0.0-2]: each write is one message.
  return { write: (bytes) => void (ws.readyState === WebSocket.OPEN && ws.send(bytes)), isClosed: () => ws.readyState === WebSocket.CLOSED, closed, destroy: () => ws.terminate() };
}

/**
 * Sends the round in 1–6 writes split at random points; returns the packet identifiers the broker
 * acknowledged. An intact round waits for all of them; a broken one until the broker closes the
 * connection or goes quiet.
 */
async function sendHostile(transport: Transport, b: TestBroker, round: HostileRound, random: () => number): Promise<Set<number>> {
  const acked = new Set<number>();
  const parse = mqttParser({ protocolVersion: 4 });
  parse.on('packet', (packet: Packet) => {
    if (packet.cmd === 'puback' && packet.messageId !== undefined) acked.add(packet.messageId);
  });
  const connection = await openRaw(transport, b, (chunk) => parse.parse(chunk));
  const { bytes } = round;
  const cuts = Array.from({ length: Math.floor(random() * 6) }, () => Math.floor(random() * bytes.length)).sort((a, b) => a - b);
  let from = 0;
  for (const cut of [...cuts, bytes.length]) {
    if (connection.isClosed()) break;
    connection.write(bytes.subarray(from, cut));
    from = cut;
    await new Promise((resolve) => setTimeout(resolve, Math.floor(random() * 5)));
  }
  if (round.intact) await expect.poll(() => (connection.isClosed() ? -1 : acked.size), { timeout: 5000 }).toBe(round.publishes);
  else await Promise.race([connection.closed, new Promise((resolve) => setTimeout(resolve, 100))]);
  connection.destroy();
  return acked;
}

async function metricTotal(b: TestBroker, name: string): Promise<number> {
  const text = await b.registry.getSingleMetricAsString(name);
  return [...text.matchAll(/^\S+ (\d+)$/gm)].reduce((sum, m) => sum + Number(m[1]), 0);
}

// TCP with the readings fast path (the default) and without it; MQTT over WebSocket, which Aedes parses alone.
describe.each([
  { transport: 'tcp', fastPath: 'true' },
  { transport: 'tcp', fastPath: 'false' },
  { transport: 'ws', fastPath: 'true' },
] as const)('hostile input over $transport (readings fast path: $fastPath)', ({ transport, fastPath }) => {
  it('when rounds of broken and hostile packets arrive, then a good agent alongside loses nothing and the journal holds only valid containers', async () => {
    // A packet cap that still holds a readings publish of the largest container (broker/config.ts).
    broker = await startTestBroker({ EM_BROKER_READINGS_FAST_PATH: fastPath, EM_BROKER_MAX_PACKET_BYTES: String(64 * 1024), EM_BROKER_MAX_CONTAINER_BYTES: String(32 * 1024) });
    const b = broker;
    const random = seededRandom(SEED);
    const good = await connectAsync(b.mqttUrl, { clientId: 'good-agent', reconnectPeriod: 0 });
    try {
      const goodTopic = readingsTopic('h-good', 'a-1');
      const goodDone = (async () => {
        for (let seq = 1; seq <= GOOD_MESSAGES; seq++) {
          await good.publishAsync(goodTopic, container('h-good', 'a-1', seq), { qos: 1 });
          await new Promise((resolve) => setTimeout(resolve, 2));
        }
      })();
      const rounds: Array<{ round: HostileRound; acked: Set<number> }> = [];
      for (let n = 0; n < ROUNDS; n++) {
        const round = hostileRound(random, n);
        rounds.push({ round, acked: await sendHostile(transport, b, round, random) });
      }
      await goodDone;
      expect(good.connected).toBe(true);

      // Still a working broker for a newcomer.
      const late = await connectAsync(b.mqttUrl, { clientId: 'late-agent', reconnectPeriod: 0 });
      await late.publishAsync(readingsTopic('h-late', 'a-1'), container('h-late', 'a-1', 1), { qos: 1 });
      await late.endAsync();

      // Every journaled entry is a valid container whose household and agent name a readings topic
      // of their own; nobody wrote into h-victim; the good agent's containers are there once each.
      const entries = b.journal.peekContainers({ maxEntries: 100_000 });
      const goodSeqs: number[] = [];
      const seqsBy = new Map<string, number[]>();
      for (const entry of entries) {
        const decoded = decodeContainer(entry.container);
        expect(parseAgentTopic(readingsTopic(decoded.householdId, decoded.agentId))?.kind).toBe('readings');
        expect(decoded.householdId).not.toBe('h-victim');
        expect(decoded.householdId === 'h-good' || decoded.householdId === 'h-late' || decoded.householdId.startsWith('h-hostile-')).toBe(true);
        if (decoded.householdId === 'h-good') goodSeqs.push(decoded.seq);
        seqsBy.set(decoded.householdId, [...(seqsBy.get(decoded.householdId) ?? []), decoded.seq]);
      }
      // Every valid container a hostile round got a PUBACK for is journaled once (an intact round
      // got one for every publish); nothing beyond what the round sent of its own. (A flipped byte
      // may leave a valid container with another sequence number, so those are counted, not named.)
      for (const { round, acked } of rounds) {
        const journaled = seqsBy.get(round.household) ?? [];
        for (const [id, seq] of round.validById) if (acked.has(id)) expect(journaled.filter((s) => s === seq), `${round.household} seq ${seq}`).toHaveLength(1);
        expect(journaled.length, round.household).toBeLessThanOrEqual(round.ownContainers);
      }
      expect(rounds.filter(({ round }) => round.intact).length).toBeGreaterThan(5);
      expect(goodSeqs).toEqual(Array.from({ length: GOOD_MESSAGES }, (_, i) => i + 1));
      expect(entries.some((entry) => decodeContainer(entry.container).householdId === 'h-late')).toBe(true);

      // The storm reached every layer it aims at, so passing means something: hostile publishes
      // were journaled, dead-lettered for a bad payload or a foreign household, and connections
      // were closed for malformed packets.
      expect(entries.some((entry) => decodeContainer(entry.container).householdId.startsWith('h-hostile-'))).toBe(true);
      const reasons = new Set(b.deadLetters.list().map((letter) => letter.reason));
      expect(reasons.has('decode')).toBe(true);
      expect(reasons.has('topic-mismatch')).toBe(true);
      expect(await metricTotal(b, 'em_broker_client_errors_total')).toBeGreaterThan(0);
      if (fastPath === 'true' && transport === 'tcp') expect(await metricTotal(b, 'em_broker_readings_fast_path_total')).toBeGreaterThan(GOOD_MESSAGES);
    } finally {
      await good.endAsync(true);
    }
  });
});
