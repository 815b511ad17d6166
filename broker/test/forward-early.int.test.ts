// Live subscribers get a readings publish before its journal commit; the publisher's PUBACK still
// waits for the commit; nobody gets it twice. The journal's append is held open by the test to
// make "before the commit" observable.
import { afterEach, describe, expect, it } from 'vitest';
import type { MqttClient } from 'mqtt';
import { encodeContainer } from '../../proto/container.js';
import { readingsTopic } from '../../proto/topics.js';
import { startTestBroker, type TestBroker } from '../../test/support/test-broker.js';
import { openClients } from '../../test/support/open-clients.js';

let broker: TestBroker | undefined;
const clients = openClients();
afterEach(async () => {
  await clients.endAll();
  await broker?.dispose();
  broker = undefined;
});

const client = (url: string, id: string): Promise<MqttClient> => clients.connect(url, { clientId: id });

/** Holds every journal append until `open()` (the real append runs then). */
function holdJournal(b: TestBroker): { open: () => void } {
  let open: () => void = () => undefined;
  const gate = new Promise<void>((resolve) => (open = resolve));
  const append = b.journal.appendContainer.bind(b.journal);
  b.journal.appendContainer = (container) => gate.then(() => append(container));
  return { open };
}

const payload = (seq: number): Buffer =>
  Buffer.from(encodeContainer({ householdId: 'h-live', agentId: 'a-1', seq, createdAtMs: Date.now(), measurements: [{ deviceId: 'plug', quantity: 'power_w', value: 42, timestampMs: Date.now() - 5 }] }));

async function scenario(env: Record<string, string>): Promise<{ beforeCommit: number; afterAck: number; acked: boolean }> {
  broker = await startTestBroker(env);
  const viewer = await client(broker.mqttUrl, 'viewer');
  let received = 0;
  viewer.on('message', () => (received += 1));
  await viewer.subscribeAsync('em/v1/h-live/+/readings', { qos: 1 });
  const journal = holdJournal(broker);
  const agent = await client(broker.mqttUrl, 'agent');
  let acked = false;
  const published = agent.publishAsync(readingsTopic('h-live', 'a-1'), payload(1), { qos: 1 }).then(() => (acked = true));
  await new Promise((resolve) => setTimeout(resolve, 300));
  const beforeCommit = received;
  const ackedBeforeCommit = acked;
  journal.open();
  await published;
  await new Promise((resolve) => setTimeout(resolve, 200));
  expect(broker.journal.depth().entries).toBe(1);
  return { beforeCommit, afterAck: received, acked: ackedBeforeCommit };
}

describe('forwarding readings before the journal commit', () => {
  it('when on (the default), then a subscriber has the reading while the commit is pending, the PUBACK waits for the commit, and nobody gets it twice', async () => {
    const result = await scenario({});
    expect(result).toEqual({ beforeCommit: 1, afterAck: 1, acked: false });
  });

  it('when off, then the subscriber gets the reading only after the commit, once', async () => {
    const result = await scenario({ EM_BROKER_FORWARD_BEFORE_JOURNAL: 'false' });
    expect(result).toEqual({ beforeCommit: 0, afterAck: 1, acked: false });
  });

  it('when a payload is refused, then it is forwarded neither early nor late', async () => {
    broker = await startTestBroker();
    const viewer = await client(broker.mqttUrl, 'viewer');
    let received = 0;
    viewer.on('message', () => (received += 1));
    await viewer.subscribeAsync('em/v1/#', { qos: 0 });
    const agent = await client(broker.mqttUrl, 'agent');
    await agent.publishAsync(readingsTopic('h-live', 'a-1'), Buffer.from([0xff, 0x01]), { qos: 1 });
    await agent.publishAsync(readingsTopic('h-live', 'a-1'), payload(2), { qos: 1 });
    await expect.poll(() => received).toBe(1);
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(received).toBe(1);
  });
});
