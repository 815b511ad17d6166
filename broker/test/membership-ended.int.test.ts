// A household member removed by the owner stops receiving that household's messages within the
// membership cache TTL + one poll (broker/member-households.ts), live and over a resumed persistent
// session. Real PostgreSQL (memberships deleted with SQL), real signed tokens, real sockets.
// Acceptance probe 09-revoke: 12 s after removal the member's subscription still delivered everything.
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { connect, connectAsync, type IClientOptions, type MqttClient } from 'mqtt';
import { createCachedDirectory } from '../../lib/auth/cached-directory.js';
import { createPgDirectory } from '../../lib/auth/pg-directory.js';
import { createTokenVerifier } from '../../lib/auth/token-verifier.js';
import { encodeContainer } from '../../proto/container.js';
import { readingsTopic } from '../../proto/topics.js';
import { createAuthDatabase, type AuthDatabase } from '../../test/support/auth-database.js';
import { startTestBroker, type TestBroker } from '../../test/support/test-broker.js';
import { startTestIssuer, type TestIssuer } from '../../test/support/test-issuer.js';
import { openClients } from '../../test/support/open-clients.js';

const CACHE_MS = 300;
const POLL_MS = 200;
/** The documented bound (cache TTL + one poll), plus room for queries and a busy test machine. */
const WITHIN_MS = CACHE_MS + POLL_MS + 1_500;

let db: AuthDatabase;
let issuer: TestIssuer;
let broker: TestBroker;
const clients = openClients();
const users = new Map<string, string>();
let agentSecret = '';

beforeAll(async () => {
  [db, issuer] = await Promise.all([createAuthDatabase('broker_membership_ended'), startTestIssuer()]);
  await db.addHousehold('h-1');
  agentSecret = await db.addAgent('a-1', 'h-1');
  for (const subject of ['bob', 'carol', 'dave']) {
    users.set(subject, await db.addUser(subject));
    await db.addMembership('h-1', users.get(subject) ?? '', 'member');
  }
  const directory = createPgDirectory(db.pool);
  const cached = createCachedDirectory(directory, directory, { membershipsMs: CACHE_MS });
  broker = await startTestBroker(
    {
      EM_BROKER_AUTH: 'required',
      EM_BROKER_AUTH_DATABASE_URL: db.url,
      EM_BROKER_AUTH_CREDENTIAL_POLL_MS: String(POLL_MS),
      EM_BROKER_AUTH_MEMBERSHIP_CACHE_MS: String(CACHE_MS),
    },
    { agentDirectory: cached, memberships: cached, verifier: createTokenVerifier(issuer.verifierOptions) },
  );
});
afterEach(async () => {
  await clients.endAll();
});
afterAll(async () => {
  await broker.dispose();
  await Promise.all([db.close(), issuer.close()]);
});

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));
const removeFromH1 = (subject: string): Promise<void> => db.removeMembership('h-1', users.get(subject) ?? '');

async function asUser(subject: string, extra: IClientOptions = {}): Promise<MqttClient> {
  return clients.connect(broker.mqttUrl, { clientId: '', clean: true, username: 'token', password: await issuer.userToken(subject), ...extra });
}

/** A persistent session (`{sub}:pi`, CleanSession 0) whose messages are counted from the first packet after CONNACK. */
async function resumeSession(subject: string): Promise<{ client: MqttClient; topics: string[] }> {
  const topics: string[] = [];
  const client = connect(broker.mqttUrl, { clientId: `${subject}:pi`, clean: false, username: 'token', password: await issuer.userToken(subject), reconnectPeriod: 0 });
  client.on('message', (topic) => topics.push(topic));
  clients.keep(client);
  await new Promise<void>((resolve, reject) => {
    client.once('connect', () => resolve());
    client.once('error', reject);
  });
  return { client, topics };
}

async function publishReading(seq: number): Promise<void> {
  const agent = await connectAsync(broker.mqttUrl, { clientId: 'a-1', username: 'a-1', password: agentSecret, reconnectPeriod: 0 });
  const now = Date.now();
  const payload = Buffer.from(encodeContainer({ householdId: 'h-1', agentId: 'a-1', seq, createdAtMs: now, measurements: [{ deviceId: 'meter', quantity: 'power_w', value: 1, timestampMs: now }] }));
  await agent.publishAsync(readingsTopic('h-1', 'a-1'), payload, { qos: 1 });
  await agent.endAsync();
}

/** The return codes of the SUBACK (MQTT.js rejects a SUBACK holding 0x80, so read the packet). */
function subackCodes(c: MqttClient, filter: string): Promise<number[]> {
  return new Promise((resolve) => {
    c.once('packetreceive', (packet) => {
      if (packet.cmd === 'suback') resolve(packet.granted.map(Number));
    });
    c.subscribe(filter, { qos: 1 }, () => undefined);
  });
}

describe('membership ended', () => {
  it("when a subscribed member is removed from the household, then within the bound its connection is closed, gets nothing more, and a new SUBSCRIBE gets 0x80", async () => {
    const bob = await asUser('bob');
    const topics: string[] = [];
    bob.on('message', (topic) => topics.push(topic));
    await bob.subscribeAsync('em/v1/h-1/+/+', { qos: 1 });
    await publishReading(1);
    await expect.poll(() => topics).toEqual([readingsTopic('h-1', 'a-1')]);

    const gone = new Promise<number>((resolve) => bob.once('close', () => resolve(Date.now())));
    const removedAt = Date.now();
    await removeFromH1('bob');
    const closedAt = await Promise.race([gone, sleep(WITHIN_MS * 3).then(() => Infinity)]);
    expect(closedAt - removedAt).toBeLessThan(WITHIN_MS);
    await publishReading(2);
    await sleep(300);
    expect(topics).toHaveLength(1);
    expect(await broker.registry.getSingleMetricAsString('em_broker_credential_cutoffs_total')).toMatch(/membership-ended".*} 1/);

    const again = await asUser('bob');
    expect(await subackCodes(again, 'em/v1/h-1/#')).toEqual([128]);
  });

  it("when a persistent-session member is removed while offline, then on reconnect nothing of the household's queue reaches it (a remaining member's does)", async () => {
    for (const subject of ['carol', 'dave']) {
      const { client } = await resumeSession(subject);
      await client.subscribeAsync('em/v1/h-1/+/readings', { qos: 1 });
      await client.endAsync();
    }
    await removeFromH1('carol');
    await publishReading(3);
    await publishReading(4);
    await sleep(CACHE_MS + POLL_MS); // carol's cached memberships, from her SUBSCRIBE, have expired

    const dave = await resumeSession('dave');
    const carol = await resumeSession('carol');
    await expect.poll(() => dave.topics).toHaveLength(2);
    await sleep(300);
    expect(carol.topics).toEqual([]);
    expect(await subackCodes(carol.client, 'em/v1/h-1/+/readings')).toEqual([128]);
  });
});
