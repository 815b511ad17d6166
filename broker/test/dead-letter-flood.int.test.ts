// A client with valid credentials floods its own readings topic with 200 KB of garbage: every
// publish is refused (too-large) and dead-lettered. The broker must keep acknowledging, stay within
// the dead-letter budget (the store sits on the journal's disk by default), and keep journaling
// a well-behaved agent's readings alongside.
import { statSync } from 'node:fs';
import { join } from 'node:path';
import { connectAsync } from 'mqtt';
import { afterEach, describe, expect, it } from 'vitest';
import { encodeContainer } from '../../proto/container.js';
import { readingsTopic } from '../../proto/topics.js';
import { startTestBroker, type TestBroker } from '../../test/support/test-broker.js';
import { openClients } from '../../test/support/open-clients.js';

const MiB = 1024 * 1024;
const BUDGET_BYTES = 2 * MiB;
const PREFIX_BYTES = 16 * 1024;
const FLOOD_PUBLISHES = 300; // 60 MB of garbage, 30× the budget
const GARBAGE = Buffer.alloc(200 * 1024, 0xab);

let broker: TestBroker | undefined;
const clients = openClients();
afterEach(async () => {
  await clients.endAll({ force: false });
  await broker?.dispose();
  broker = undefined;
});

function container(seq: number): Buffer {
  const now = Date.now();
  return Buffer.from(
    encodeContainer({ householdId: 'h-good', agentId: 'a-1', seq, createdAtMs: now, measurements: [{ deviceId: 'plug', quantity: 'power_w', value: seq, timestampMs: now - 5 }] }),
  );
}

async function metricValue(name: string): Promise<number> {
  const metric = (await broker?.registry.getMetricsAsJSON())?.find((m) => m.name === name);
  return metric?.values.reduce((sum, v) => sum + v.value, 0) ?? 0;
}

describe('broker under a dead-letter flood', () => {
  it('when a client floods refused 200 KB publishes, then every one is acknowledged, the store stays within its budget, and a good agent is still journaled', async () => {
    // The readings pace off: each garbage publish costs the most readings one can (1,000), and the
    // pace would hold the flood to 2 a second; the store's budget is what this test is about.
    broker = await startTestBroker({
      EM_BROKER_DEAD_LETTER_MAX_BYTES: String(BUDGET_BYTES),
      EM_BROKER_DEAD_LETTER_MAX_PAYLOAD_BYTES: String(PREFIX_BYTES),
      EM_BROKER_AGENT_READINGS_PER_S: '0',
    });
    const flooder = await connectAsync(broker.mqttUrl, { clientId: 'a-flood' });
    const good = await connectAsync(broker.mqttUrl, { clientId: 'a-1' });
    clients.keep(flooder, good);

    const flood = Array.from({ length: FLOOD_PUBLISHES }, () => flooder.publishAsync(readingsTopic('h-flood', 'a-flood'), GARBAGE, { qos: 1 }));
    const readings = Array.from({ length: 50 }, (_, i) => good.publishAsync(readingsTopic('h-good', 'a-1'), container(i + 1), { qos: 1 }));
    await Promise.all([...flood, ...readings]); // each resolves on its PUBACK

    const { deadLetters } = broker;
    await expect.poll(() => deadLetters.stats().bytesInUse, { timeout: 10_000 }).toBeLessThanOrEqual(BUDGET_BYTES);
    // Every letter is kept or evicted, once: an eviction counts once its removal has committed.
    await expect.poll(() => deadLetters.count() + deadLetters.stats().evictedTotal, { timeout: 10_000 }).toBe(FLOOD_PUBLISHES);
    const evicted = deadLetters.stats().evictedTotal;
    expect(evicted).toBeGreaterThan(0);
    const newest = deadLetters.list({ limit: FLOOD_PUBLISHES }).at(-1);
    expect(newest).toMatchObject({ reason: 'too-large', clientId: 'a-flood', payloadBytes: GARBAGE.length, payloadTruncated: true });
    expect(newest?.payload.byteLength).toBe(PREFIX_BYTES);
    // The file, not just the pages in use: LMDB reuses freed pages, so the disk holds about the budget.
    expect(statSync(join(broker.config.deadLetterPath, 'data.mdb')).size).toBeLessThan(3 * BUDGET_BYTES);
    expect(broker.journal.depth().entries).toBe(50);
    expect(await metricValue('em_broker_dead_letters_evicted_total')).toBe(evicted);
    expect(await metricValue('em_broker_dead_letters_total')).toBe(FLOOD_PUBLISHES);
  });
});
