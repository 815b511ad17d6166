// The agent against a bare Aedes broker on real sockets: delivery, outages, restarts, status.
import { connectAsync, type MqttClient } from 'mqtt';
import { Registry } from 'prom-client';
import { afterEach, describe, expect, it } from 'vitest';
import { decodeContainer } from '../../proto/container.js';
import { statusTopic } from '../../proto/topics.js';
import { makeTempDir } from '../../test/support/temp-dir.js';
import { createAgent, type Agent, type AgentOptions } from '../agent.js';
import { createAgentMetrics } from '../agent-metrics.js';
import { openOutboxStore, type OutboxStore } from '../outbox.js';
import { createSimulatedHousehold } from '../sources/simulated-household.js';
import { startBareAedes, type BareAedes } from './bare-aedes.js';
import { eventually } from './eventually.js';
import { recordingLogger, WARN } from './recording-logger.js';

const HOUSEHOLD = 'h-0001';
const AGENT = 'a-0001';
const READINGS_PER_SAMPLE = 5; // 2 devices × (power, energy) + mains voltage

describe('device agent against a broker', () => {
  const cleanups: (() => Promise<void> | void)[] = [];
  afterEach(async () => {
    for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
  });

  async function broker(): Promise<BareAedes> {
    const aedes = await startBareAedes();
    cleanups.push(() => aedes.close());
    return aedes;
  }

  function outboxStore(path: string): OutboxStore {
    const store = openOutboxStore(path);
    cleanups.push(() => store.close());
    return store;
  }

  function tempOutboxPath(): string {
    const dir = makeTempDir('agent');
    cleanups.push(() => dir.remove());
    return dir.join('outbox.mdb');
  }

  function agent(brokerUrl: string, store: OutboxStore, overrides: Partial<AgentOptions> = {}): Agent {
    const created = createAgent({
      householdId: HOUSEHOLD,
      agentId: AGENT,
      brokerUrl,
      source: createSimulatedHousehold({ seed: 1, devices: 2 }),
      outbox: store.forAgent(AGENT),
      publishIntervalMs: 200,
      sampleIntervalMs: 100,
      backoff: { baseMs: 20, capMs: 200 },
      connectTimeoutMs: 2000,
      ...overrides,
    });
    cleanups.push(() => created.stop({ drainTimeoutMs: 200 }));
    return created;
  }

  function seqsSeen(aedes: BareAedes): number[] {
    return [...new Set(aedes.readings.map((c) => c.seq))];
  }

  it('when the broker acknowledges, then every container arrives and the outbox empties', async () => {
    const aedes = await broker();
    const store = outboxStore(tempOutboxPath());
    const subscriber = await subscribeReadings(aedes.url);
    cleanups.push(() => subscriber.close());
    const a = agent(aedes.url, store);
    a.start();
    await eventually('3 containers are acknowledged', () => a.stats().acked >= 3 && a.stats().pending === 0, () => a.stats());
    await eventually('the subscriber got them', () => subscriber.seqs.length >= a.stats().acked, () => subscriber.seqs);
    expect(subscriber.seqs.slice(0, 3)).toEqual([1, 2, 3]);
    const seen = seqsSeen(aedes);
    expect(seen.slice(0, 3)).toEqual([1, 2, 3]);
    for (const container of aedes.readings) {
      expect(container).toMatchObject({ householdId: HOUSEHOLD, agentId: AGENT });
      expect(container.measurements.length % READINGS_PER_SAMPLE).toBe(0);
      expect(container.measurements.length).toBeGreaterThan(0);
    }
    expect(a.stats().connected).toBe(true);
  });

  it('when the broker goes away, then containers wait on disk and arrive oldest first once it is back', async () => {
    const aedes = await broker();
    const store = outboxStore(tempOutboxPath());
    const a = agent(aedes.url, store);
    a.start();
    await eventually('connected and something acknowledged', () => a.stats().acked >= 1, () => a.stats());
    await aedes.goAway();
    const ackedBefore = a.stats().acked;
    await eventually('4 containers wait in the outbox', () => a.stats().pending >= 4, () => a.stats());
    expect(a.stats().connected).toBe(false);
    expect(a.stats().acked).toBe(ackedBefore);
    await aedes.comeBack();
    const sealedAtReturn = a.stats().sealed;
    await eventually(
      'the backlog is acknowledged',
      () => a.stats().pending === 0 && a.stats().acked >= sealedAtReturn,
      () => a.stats(),
    );
    const seen = seqsSeen(aedes);
    const last = Math.max(...seen);
    expect([...seen].sort((x, y) => x - y)).toEqual(Array.from({ length: last }, (_, i) => i + 1));
    expect(seen).toEqual([...seen].sort((x, y) => x - y)); // first arrivals in seq order: oldest first
    // At least once, but MQTT.js must not replay its own copy on top of our resend: at most twice.
    expect(Math.max(...seen.map((seq) => aedes.readings.filter((c) => c.seq === seq).length))).toBeLessThanOrEqual(2);
    expect(a.stats().reconnects).toBeGreaterThanOrEqual(1);
  });

  it('when the agent restarts with a full outbox, then it resends the backlog and seq keeps growing', async () => {
    const aedes = await broker();
    const path = tempOutboxPath();
    const firstStore = openOutboxStore(path);
    const first = agent(aedes.url, firstStore);
    first.start();
    await eventually('first container acknowledged', () => first.stats().acked >= 1, () => first.stats());
    await aedes.goAway();
    await eventually('3 containers wait', () => first.stats().pending >= 3, () => first.stats());
    await first.stop({ drainTimeoutMs: 100 });
    const before = first.stats();
    await firstStore.close();

    const store = outboxStore(path);
    expect(store.forAgent(AGENT).depth()).toBe(before.pending);
    const second = agent(aedes.url, store);
    await aedes.comeBack();
    second.start();
    await eventually(
      'backlog and 2 new containers are acknowledged',
      () => second.stats().sealed >= 2 && second.stats().pending === 0,
      () => second.stats(),
    );
    const seen = seqsSeen(aedes);
    const last = Math.max(...seen);
    expect([...seen].sort((x, y) => x - y)).toEqual(Array.from({ length: last }, (_, i) => i + 1));
    expect(last).toBeGreaterThanOrEqual(before.nextSeq + 1);
    const afterRestart = aedes.readings.filter((c) => c.createdAtMs > 0 && c.seq >= before.nextSeq);
    expect(afterRestart.length).toBeGreaterThanOrEqual(2);
  });

  it('shows a retained online, the will offline when the connection dies, and offline after a stop', async () => {
    const aedes = await broker();
    const store = outboxStore(tempOutboxPath());
    const a = agent(aedes.url, store);
    a.start();
    await eventually('connected', () => a.stats().connected, () => a.stats());

    const retained = await firstMessage(aedes.url, statusTopic(HOUSEHOLD, AGENT));
    expect(retained).toEqual({ payload: 'online', retain: true });

    expect(aedes.dropClient(AGENT)).toBe(true);
    await eventually(
      'the will said offline and the agent came back online',
      () => statusPayloads(aedes).join(',') === 'online,offline,online',
      () => aedes.statuses,
    );
    // The agent never published `offline` itself while running: that one was its will.

    await a.stop();
    expect(statusPayloads(aedes).at(-1)).toBe('offline');
    expect(await firstMessage(aedes.url, statusTopic(HOUSEHOLD, AGENT))).toEqual({ payload: 'offline', retain: true });
  });

  it('when the broker refuses the credentials, then the agent retries with backoff and warns once, not at every attempt', async () => {
    const aedes = await broker();
    let attempts = 0;
    aedes.aedes.authenticate = (_client, _username, _password, done) => {
      attempts++;
      done(Object.assign(new Error('bad username or password'), { returnCode: 4 }), false);
    };
    const { log, lines } = recordingLogger();
    const a = agent(aedes.url, outboxStore(tempOutboxPath()), { username: AGENT, password: 'wrong', log });
    a.start();
    // Nothing is lost meanwhile: what is sealed waits in the outbox.
    await eventually('5 attempts, containers waiting', () => attempts >= 5 && a.stats().pending > 0, () => ({ attempts, ...a.stats() }));
    const refusals = lines.filter((line) => line.level >= WARN && line.msg === 'mqtt error');
    expect(refusals).toHaveLength(1);
    expect(refusals[0]).toMatchObject({ code: 4 });
  });

  it('publishes over ws:// as well', async () => {
    const aedes = await broker();
    const url = await aedes.listenWebSocket();
    const store = outboxStore(tempOutboxPath());
    const a = agent(url, store);
    a.start();
    await eventually('2 containers acknowledged over WebSocket', () => a.stats().acked >= 2 && a.stats().pending === 0, () => a.stats());
    expect(seqsSeen(aedes).slice(0, 2)).toEqual([1, 2]);
  });

  it('when the outbox refuses seals (a full card), then each refusal is counted, and the held readings go out in the next container that seals', async () => {
    const aedes = await broker();
    const store = outboxStore(tempOutboxPath());
    const real = store.forAgent(AGENT);
    let refusing = 3;
    // The outbox's own answer to a full card is an LMDB commit error (outbox-disk-full.int.test.ts);
    // here only its effect on the agent matters.
    const outbox: typeof real = Object.assign(Object.create(real) as typeof real, {
      append: (draft: Parameters<typeof real.append>[0]) => (refusing-- > 0 ? Promise.reject(new Error('MDB_MAP_FULL: commit failed')) : real.append(draft)),
    });
    const registry = new Registry();
    const metrics = createAgentMetrics(registry, () => real.depth());
    const a = agent(aedes.url, store, { outbox, metrics });
    a.start();
    await eventually('a container acknowledged after three refused seals', () => a.stats().acked >= 1, () => a.stats());
    expect(await registry.getSingleMetricAsString('em_agent_seal_failures_total')).toContain('em_agent_seal_failures_total 3');
    // The first container to seal carries the samples of the three refused intervals too.
    const first = aedes.readings.find((c) => c.seq === 1);
    expect(first?.measurements.length).toBeGreaterThanOrEqual(4 * READINGS_PER_SAMPLE);
  });

  it('when the broker closes the connection while the agent seals its last container on a stop (one Ctrl-C for both), then that is no warning and the agent does not reconnect', async () => {
    const aedes = await broker();
    const store = outboxStore(tempOutboxPath());
    const real = store.forAgent(AGENT);
    let releaseSeal: (() => void) | undefined;
    const sealHeld = new Promise<void>((resolve) => (releaseSeal = resolve));
    let holding = false;
    // The stop's last seal waits (as for a slow card's flush) until the broker has gone.
    const outbox: typeof real = Object.assign(Object.create(real) as typeof real, {
      append: async (draft: Parameters<typeof real.append>[0]) => {
        if (holding) await sealHeld;
        return real.append(draft);
      },
    });
    const { log, lines } = recordingLogger();
    const a = agent(aedes.url, store, { outbox, log });
    a.start();
    await eventually('connected, a container acknowledged', () => a.stats().connected && a.stats().acked >= 1, () => a.stats());
    const reconnectsBefore = a.stats().reconnects;

    holding = true;
    const stopped = a.stop({ drainTimeoutMs: 200 });
    expect(aedes.dropClient(AGENT)).toBe(true);
    await eventually('the agent saw the connection go', () => !a.stats().connected, () => a.stats());
    await new Promise((resolve) => setTimeout(resolve, 300)); // past the longest backoff (200 ms)
    releaseSeal?.();
    await stopped;

    expect(lines.filter((line) => line.level >= WARN).map((line) => line.msg)).toEqual([]);
    expect(lines.some((line) => line.msg === 'connection closed')).toBe(true); // logged, at debug
    expect(a.stats().reconnects).toBe(reconnectsBefore);
    expect(a.stats().connected).toBe(false);
  });
});

/** A plain MQTT subscriber to every agent's readings, recording the seqs it receives. */
async function subscribeReadings(url: string): Promise<{ seqs: number[]; close(): Promise<void> }> {
  const client = await connectAsync(url, { reconnectPeriod: 0 });
  const seqs: number[] = [];
  client.on('message', (_topic, payload) => seqs.push(decodeContainer(payload).seq));
  await client.subscribeAsync('em/v1/+/+/readings', { qos: 1 });
  return { seqs, close: () => client.endAsync() };
}

function statusPayloads(aedes: BareAedes): string[] {
  return aedes.statuses.map((s) => s.payload);
}

/** Subscribes with a fresh client and returns the first message (a retained one, if any). */
async function firstMessage(url: string, topic: string): Promise<{ payload: string; retain: boolean }> {
  const client: MqttClient = await connectAsync(url, { reconnectPeriod: 0 });
  try {
    const message = new Promise<{ payload: string; retain: boolean }>((resolve) => {
      client.once('message', (_topic, payload, packet) => resolve({ payload: payload.toString(), retain: packet.retain }));
    });
    await client.subscribeAsync(topic, { qos: 1 });
    return await message;
  } finally {
    await client.endAsync();
  }
}
