// A persistent session (CleanSession 0) keeps at most EM_BROKER_MAX_QUEUED_MESSAGES_PER_SESSION
// unacknowledged QoS 1 messages: an offline subscriber cannot grow the broker's memory without end.
import { afterEach, describe, expect, it } from 'vitest';
import { connect, connectAsync } from 'mqtt';
import { startTestBroker, type TestBroker } from '../../test/support/test-broker.js';
import { openClients } from '../../test/support/open-clients.js';

let broker: TestBroker | undefined;
const clients = openClients();
afterEach(async () => {
  await clients.endAll();
  await broker?.dispose();
  broker = undefined;
});

async function dropped(b: TestBroker): Promise<number> {
  return Number(/ (\d+)$/m.exec(await b.registry.getSingleMetricAsString('em_broker_session_messages_dropped_total'))?.[1] ?? 'NaN');
}

describe('persistent session queue bound', () => {
  it('when a persistent subscriber is offline, then its first messages up to the bound are kept for it, the rest dropped and counted, and it receives live again once it is back', async () => {
    broker = await startTestBroker({ EM_BROKER_MAX_QUEUED_MESSAGES_PER_SESSION: '5' });
    const b = broker;
    const away = await connectAsync(b.mqttUrl, { clientId: 'away', clean: false, reconnectPeriod: 0 });
    await away.subscribeAsync('chat/#', { qos: 1 });
    await away.endAsync();

    const talker = await connectAsync(b.mqttUrl, { clientId: 'talker', clean: true, reconnectPeriod: 0 });
    clients.keep(talker);
    for (let i = 1; i <= 20; i++) await talker.publishAsync('chat/x', `m${i}`, { qos: 1 });
    expect(await dropped(b)).toBe(15);

    const got: string[] = [];
    // Listening before it connects: the queued messages arrive right after CONNACK.
    const back = connect(b.mqttUrl, { clientId: 'away', clean: false, reconnectPeriod: 0, manualConnect: true });
    clients.keep(back);
    back.on('message', (_topic, payload) => got.push(payload.toString()));
    back.connect();
    await expect.poll(() => got).toEqual(['m1', 'm2', 'm3', 'm4', 'm5']);
    // Acknowledged, so the session has room again: new messages flow, none dropped.
    for (let i = 21; i <= 27; i++) await talker.publishAsync('chat/x', `m${i}`, { qos: 1 });
    await expect.poll(() => got.length).toBe(12);
    expect(got.slice(5)).toEqual(['m21', 'm22', 'm23', 'm24', 'm25', 'm26', 'm27']);
    expect(await dropped(b)).toBe(15);
  });
});
