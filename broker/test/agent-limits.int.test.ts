// The per-agent limits over real sockets (broker/README.md, "Per-agent limits"): an agent
// publishing faster than its pace has its PUBACKs spaced while another agent's are not, and an
// agent cycling through new device ids has the containers past its bound dead-lettered while
// another agent, and its own known devices, pass.
import { afterEach, describe, expect, it } from 'vitest';
import type { MqttClient } from 'mqtt';
import { decodeContainer, encodeContainer, type ReadingContainer } from '../../proto/container.js';
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

function container(householdId: string, agentId: string, seq: number, deviceIds: readonly string[]): Buffer {
  const now = Date.now();
  const measurements = deviceIds.map((deviceId) => ({ deviceId, quantity: 'power_w' as const, value: seq, timestampMs: now - 10 }));
  const body: ReadingContainer = { householdId, agentId, seq, createdAtMs: now, measurements };
  return Buffer.from(encodeContainer(body));
}

/** A metric's value summed over its series; `metricName` picks a histogram's `_count` or `_sum`. */
async function metric(name: string, labels: Record<string, string> = {}): Promise<number> {
  const found = (await broker.registry.getMetricsAsJSON()).find((m) => m.name === name);
  const { metricName, ...wanted } = labels;
  const matching = (found?.values ?? []).filter(
    (v) => (metricName === undefined || (v as { metricName?: string }).metricName === metricName) && Object.entries(wanted).every(([k, want]) => String((v.labels as Record<string, unknown>)[k]) === want),
  );
  return matching.reduce((sum, v) => sum + v.value, 0);
}

/** Seqs of `agentId`'s containers in the journal, in journal order. */
function journaledSeqs(agentId: string): number[] {
  return broker.journal
    .peekContainers({ maxEntries: 10_000 })
    .map((e) => decodeContainer(e.container))
    .filter((c) => c.agentId === agentId)
    .map((c) => c.seq);
}

describe.each(['true', 'false'])('per-agent publish pace (readings fast path: %s)', (fastPath) => {
  it('when one agent publishes past its burst, then its PUBACKs are spaced by the pace, in order, and another agent is not paced', async () => {
    broker = await startTestBroker({ EM_BROKER_READINGS_FAST_PATH: fastPath, EM_BROKER_AGENT_PUBLISHES_PER_S: '5', EM_BROKER_AGENT_PUBLISH_BURST: '4' });
    const fast = await client('a-fast');
    const calm = await client('a-calm');
    const acked: number[] = [];
    const sentAt = performance.now();
    const fastPublishes = Array.from({ length: 12 }, (_, i) =>
      fast.publishAsync(readingsTopic('h-fast', 'a-fast'), container('h-fast', 'a-fast', i + 1, ['plug']), { qos: 1 }).then(() => acked.push(i + 1)),
    );
    // Within the calm agent's burst: none of these may wait, whatever the fast agent does.
    await Promise.all(Array.from({ length: 4 }, (_, i) => calm.publishAsync(readingsTopic('h-calm', 'a-calm'), container('h-calm', 'a-calm', i + 1, ['plug']), { qos: 1 })));
    await Promise.all(fastPublishes);
    const lastAckAfterMs = performance.now() - sentAt;

    // 12 − 4 of the fast agent waited, none of the calm agent's.
    expect(await metric('em_broker_publishes_paced_total')).toBe(8);
    expect(await metric('em_broker_publish_pace_delay_seconds', { metricName: 'em_broker_publish_pace_delay_seconds_count' })).toBe(8);
    // The 12th may go (12 − 4) intervals of 200 ms after the first arrived, not before (a bound the pace sets; no upper one).
    expect(lastAckAfterMs).toBeGreaterThanOrEqual(1600);
    expect(acked).toEqual(Array.from({ length: 12 }, (_, i) => i + 1));
    expect(journaledSeqs('a-fast')).toEqual(Array.from({ length: 12 }, (_, i) => i + 1));
    expect(journaledSeqs('a-calm')).toEqual([1, 2, 3, 4]);
    expect(broker.deadLetters.count()).toBe(0);
  });
});

describe('readings pace', () => {
  it('when an agent sends many readings a publish, then its publishes past the readings burst are held, while an agent sending few is not', async () => {
    // 1,000 readings a second, a burst of 2,000; the publishes pace and the device bound are far away.
    broker = await startTestBroker({
      EM_BROKER_AGENT_READINGS_PER_S: '1000',
      EM_BROKER_AGENT_READINGS_BURST: '2000',
      EM_BROKER_AGENT_PUBLISHES_PER_S: '1000',
      EM_BROKER_MAX_DEVICES_PER_AGENT: '1000',
    });
    const heavy = await client('a-heavy');
    const light = await client('a-light');
    const plugs = (n: number): string[] => Array.from({ length: n }, (_, i) => `plug-${i}`);
    const sentAt = performance.now();
    // 5 × 500 readings: the first 4 fill the burst, the 5th waits about 500 ms for its readings' time.
    const heavyPublishes = Array.from({ length: 5 }, (_, i) =>
      heavy.publishAsync(readingsTopic('h-heavy', 'a-heavy'), container('h-heavy', 'a-heavy', i + 1, plugs(500)), { qos: 1 }),
    );
    await Promise.all(Array.from({ length: 5 }, (_, i) => light.publishAsync(readingsTopic('h-light', 'a-light'), container('h-light', 'a-light', i + 1, plugs(11)), { qos: 1 })));
    await Promise.all(heavyPublishes);
    const lastAckAfterMs = performance.now() - sentAt;

    expect(await metric('em_broker_publishes_paced_total')).toBe(1);
    expect(lastAckAfterMs).toBeGreaterThanOrEqual(490);
    expect(journaledSeqs('a-heavy')).toEqual([1, 2, 3, 4, 5]);
    expect(journaledSeqs('a-light')).toEqual([1, 2, 3, 4, 5]);
    expect(broker.deadLetters.count()).toBe(0);
  });
});

describe('readings pace, unreadable payloads', () => {
  it('when an agent sends large unreadable payloads, then each costs at most the most readings a container may hold, and is dead-lettered in turn', async () => {
    broker = await startTestBroker({ EM_BROKER_AGENT_READINGS_PER_S: '1000', EM_BROKER_AGENT_READINGS_BURST: '1000', EM_BROKER_AGENT_PUBLISHES_PER_S: '1000' });
    const sender = await client('a-garbage');
    // 100 KB of 0xff: no field the count can read, so its bytes could hold 50,000 readings.
    const garbage = Buffer.alloc(100_000, 0xff);
    await Promise.all([1, 2, 3].map(() => sender.publishAsync(readingsTopic('h-garbage', 'a-garbage'), garbage, { qos: 1 })));

    // Each costs 1,000 (EM_BROKER_MAX_MEASUREMENTS_PER_CONTAINER): the second waits about 1 s, the
    // third about 2 s. Uncapped, they would have waited 50 and 100 s.
    expect(await metric('em_broker_publishes_paced_total')).toBe(2);
    const waitedS = await metric('em_broker_publish_pace_delay_seconds', { metricName: 'em_broker_publish_pace_delay_seconds_sum' });
    expect(waitedS).toBeGreaterThan(2.5);
    expect(waitedS).toBeLessThan(3.1);
    expect(broker.deadLetters.count()).toBe(3);
  });
});

describe('distinct device ids per agent', () => {
  it('when an agent reports new device ids in every container, then the containers past the bound are dead-lettered and the rest pass', async () => {
    broker = await startTestBroker({ EM_BROKER_MAX_DEVICES_PER_AGENT: '8' });
    const cycling = await client('a-cycle');
    const steady = await client('a-steady');
    const topic = readingsTopic('h-cycle', 'a-cycle');
    const ids = (from: number): string[] => [`plug-${from}`, `plug-${from + 1}`, `plug-${from + 2}`];
    // 3 new ids each: 3, 6, then 9 > 8 — refused, and refused again with the next new ones.
    for (let seq = 1; seq <= 5; seq++) await cycling.publishAsync(topic, container('h-cycle', 'a-cycle', seq, ids(3 * (seq - 1))), { qos: 1 });
    // Known devices still pass after the refusals (which did not count their ids): 6 of 8.
    await cycling.publishAsync(topic, container('h-cycle', 'a-cycle', 6, [...ids(0), ...ids(3)]), { qos: 1 });
    // Two more new ones fit exactly.
    await cycling.publishAsync(topic, container('h-cycle', 'a-cycle', 7, ['plug-100', 'plug-101']), { qos: 1 });
    for (let seq = 1; seq <= 5; seq++) {
      await steady.publishAsync(readingsTopic('h-steady', 'a-steady'), container('h-steady', 'a-steady', seq, ['kitchen', 'washer', 'fridge', 'tv', 'oven']), { qos: 1 });
    }

    const letters = broker.deadLetters.list();
    expect(letters.map((l) => [l.reason, l.topic, decodeContainer(l.payload).seq])).toEqual([
      ['too-many-devices', topic, 3],
      ['too-many-devices', topic, 4],
      ['too-many-devices', topic, 5],
    ]);
    expect(letters[0]?.detail).toMatch(/limit 8/);
    expect(await metric('em_broker_dead_letters_total', { reason: 'too-many-devices' })).toBe(3);
    expect(journaledSeqs('a-cycle')).toEqual([1, 2, 6, 7]);
    expect(journaledSeqs('a-steady')).toEqual([1, 2, 3, 4, 5]);
    expect(cycling.connected).toBe(true);
  });
});
