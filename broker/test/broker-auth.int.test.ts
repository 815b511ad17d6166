// Broker authentication and ACL over real sockets: real PostgreSQL (migrated, rows inserted with
// SQL), real signed tokens from a local JWKS server (test/support/test-issuer.ts).
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { IClientOptions, MqttClient } from 'mqtt';
import { createCachedDirectory } from '../../lib/auth/cached-directory.js';
import { createPgDirectory } from '../../lib/auth/pg-directory.js';
import { createTokenVerifier } from '../../lib/auth/token-verifier.js';
import { encodeContainer } from '../../proto/container.js';
import { readingsTopic, statusTopic } from '../../proto/topics.js';
import { createAuthDatabase, type AuthDatabase } from '../../test/support/auth-database.js';
import { startTestBroker, type TestBroker } from '../../test/support/test-broker.js';
import { startTestIssuer, type TestIssuer } from '../../test/support/test-issuer.js';
import { openClients } from '../../test/support/open-clients.js';

let db: AuthDatabase;
let issuer: TestIssuer;
let broker: TestBroker;
const clients = openClients();
const secrets = new Map<string, string>();
let annId = '';

beforeAll(async () => {
  [db, issuer] = await Promise.all([createAuthDatabase('broker_auth'), startTestIssuer()]);
  for (const household of ['h-1', 'h-2']) await db.addHousehold(household);
  for (const [agent, household] of [['a-1', 'h-1'], ['a-2', 'h-2'], ['a-revoke', 'h-1'], ['a-rotate', 'h-1']] as const) {
    secrets.set(agent, await db.addAgent(agent, household));
  }
  annId = await db.addUser('ann');
  await db.addMembership('h-1', annId, 'owner');
  const directory = createPgDirectory(db.pool);
  const cached = createCachedDirectory(directory, directory);
  broker = await startTestBroker(
    { EM_BROKER_AUTH: 'required', EM_BROKER_AUTH_DATABASE_URL: db.url, EM_BROKER_AUTH_CREDENTIAL_POLL_MS: '500' },
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

const mqtt = (options: IClientOptions): Promise<MqttClient> => clients.connect(broker.mqttUrl, { connectTimeout: 5_000, ...options });
const asAgent = (agentId: string, extra: IClientOptions = {}) =>
  mqtt({ clientId: agentId, username: agentId, password: secrets.get(agentId) ?? '', ...extra });
const asToken = (token: string, extra: IClientOptions = {}) => mqtt({ clientId: '', clean: true, username: 'token', password: token, ...extra });

/** The CONNACK return code of a refused CONNECT. */
async function refusalCode(connecting: Promise<MqttClient>): Promise<number | undefined> {
  const err: unknown = await connecting.then(
    (c) => c,
    (e: unknown) => e,
  );
  return (err as { code?: number }).code;
}

const container = (householdId: string, agentId: string, seq: number): Buffer =>
  Buffer.from(encodeContainer({ householdId, agentId, seq, createdAtMs: Date.now(), measurements: [{ deviceId: 'meter', quantity: 'power_w', value: 1, timestampMs: Date.now() }] }));

/** The return codes of the SUBACK (MQTT.js rejects a SUBACK holding 0x80, so read the packet). */
function subackCodes(c: MqttClient, filters: string[]): Promise<number[]> {
  return new Promise((resolve) => {
    c.once('packetreceive', (packet) => {
      if (packet.cmd === 'suback') resolve(packet.granted.map(Number));
    });
    c.subscribe(filters, { qos: 1 }, () => undefined);
  });
}

const closed = (c: MqttClient): Promise<void> => new Promise((resolve) => c.once('close', () => resolve()));

describe('broker auth', () => {
  it('when an agent connects with its secret and publishes readings, then they are journaled', async () => {
    const before = broker.journal.depth().entries;
    const agent = await asAgent('a-1');
    await agent.publishAsync(readingsTopic('h-1', 'a-1'), container('h-1', 'a-1', 1), { qos: 1 });
    expect(broker.journal.depth().entries).toBe(before + 1);
  });

  it('when an agent registered moments ago connects, then credential polls do not cut it off', async () => {
    secrets.set('a-new', await db.addAgent('a-new', 'h-1'));
    const agent = await asAgent('a-new');
    const cutOff = new Promise<never>((_, reject) => agent.once('close', () => reject(new Error('the new agent was cut off'))));
    await broker.auth.credentialWatch?.pollOnce();
    await Promise.race([agent.publishAsync(readingsTopic('h-1', 'a-new'), container('h-1', 'a-new', 1), { qos: 1 }), cutOff]);
    cutOff.catch(() => undefined); // closed by afterEach
  });

  it('when an agent presents a wrong secret, then CONNACK refuses it with 0x04', async () => {
    expect(await refusalCode(mqtt({ clientId: 'a-1', username: 'a-1', password: 'not-the-secret' }))).toBe(4);
    expect(await refusalCode(mqtt({ clientId: 'a-1' }))).toBe(5);
  });

  it("when an agent publishes on another household's topic, then the connection is closed and nothing reaches the journal", async () => {
    const before = broker.journal.depth().entries;
    const agent = await asAgent('a-1');
    const gone = closed(agent);
    agent.publish(readingsTopic('h-2', 'a-2'), container('h-2', 'a-2', 1), { qos: 1 });
    await gone;
    expect(broker.journal.depth().entries).toBe(before);
    expect(await broker.registry.getSingleMetricAsString('em_broker_publishes_refused_total')).toMatch(/reason="other-household".*} 1/);
  });

  it('when an agent sets a will on a foreign topic, then its CONNECT is refused with 0x05', async () => {
    const will = { topic: statusTopic('h-2', 'a-2'), payload: Buffer.from('offline'), qos: 1 as const, retain: true };
    expect(await refusalCode(asAgent('a-1', { will }))).toBe(5);
  });

  it("when an agent with a will on its own status topic drops, then the will reaches the household's user", async () => {
    const ann = await asToken(await issuer.userToken('ann'));
    const got = new Promise<string>((resolve) => ann.on('message', (_t, p) => resolve(p.toString())));
    await ann.subscribeAsync('em/v1/h-1/+/status', { qos: 1 });
    const agent = await asAgent('a-1', { will: { topic: statusTopic('h-1', 'a-1'), payload: Buffer.from('offline'), qos: 1, retain: false } });
    agent.stream.destroy();
    expect(await got).toBe('offline');
  });

  it('when an agent is revoked while connected, then it is cut off within 10 s and cannot reconnect', async () => {
    const agent = await asAgent('a-revoke');
    const gone = closed(agent);
    const revokedAt = Date.now();
    await db.revokeAgent('a-revoke');
    await gone;
    expect(Date.now() - revokedAt).toBeLessThan(10_000);
    expect(await refusalCode(asAgent('a-revoke'))).toBe(4);
    expect(await broker.registry.getSingleMetricAsString('em_broker_credential_cutoffs_total')).toMatch(/credentials-changed".*} 1/);
  });

  it('when a secret is rotated, then the old one is refused and the new one accepted', async () => {
    const old = await asAgent('a-rotate');
    const gone = closed(old);
    secrets.set('a-rotate', await db.rotateAgent('a-rotate'));
    await gone;
    expect(await refusalCode(mqtt({ clientId: 'a-rotate', username: 'a-rotate', password: 'stale' }))).toBe(4);
    const fresh = await asAgent('a-rotate');
    await fresh.publishAsync(statusTopic('h-1', 'a-rotate'), 'online', { qos: 1 });
    expect(fresh.connected).toBe(true);
  });

  it('when an agent reconnects with its new secret before the broker has seen the rotation, then the rotation does not cut that connection off', async () => {
    const old = await asAgent('a-rotate');
    const gone = closed(old);
    secrets.set('a-rotate', await db.rotateAgent('a-rotate'));
    const fresh = await asAgent('a-rotate'); // takes the session over before the watch's next poll
    await gone;
    const cutOff = new Promise<never>((_, reject) => fresh.once('close', () => reject(new Error('the connection with the new secret was cut off'))));
    await broker.auth.credentialWatch?.pollOnce();
    await Promise.race([fresh.publishAsync(statusTopic('h-1', 'a-rotate'), 'online', { qos: 1 }), cutOff]);
    cutOff.catch(() => undefined); // closed by afterEach
  });

  it('when a user subscribes, then their household is granted and another household and # get 0x80, connection up', async () => {
    const ann = await asToken(await issuer.userToken('ann'));
    expect(await subackCodes(ann, ['em/v1/h-1/#', 'em/v1/h-2/#', '#', 'em/v1/+/+/readings', '$SYS/#'])).toEqual([1, 128, 128, 128, 128]);
    expect(ann.connected).toBe(true);
    await ann.subscribeAsync('em/v1/h-1/a-1/readings', { qos: 0 });
    expect(ann.connected).toBe(true);
  });

  it('when a user publishes readings, then the connection is closed and nothing is journaled', async () => {
    const before = broker.journal.depth().entries;
    const ann = await asToken(await issuer.userToken('ann'));
    const gone = closed(ann);
    ann.publish(readingsTopic('h-1', 'a-1'), container('h-1', 'a-1', 9), { qos: 1 });
    await gone;
    expect(broker.journal.depth().entries).toBe(before);
  });

  it('when a service token has readings:subscribe-all, then it receives readings of any household', async () => {
    const reader = await asToken(await issuer.serviceToken('read-service', 'readings:subscribe-all'));
    const topics: string[] = [];
    reader.on('message', (topic) => topics.push(topic));
    expect((await reader.subscribeAsync('em/v1/+/+/readings', { qos: 1 })).map((g) => g.qos)).toEqual([1]);
    await (await asAgent('a-1')).publishAsync(readingsTopic('h-1', 'a-1'), container('h-1', 'a-1', 2), { qos: 1 });
    await (await asAgent('a-2')).publishAsync(readingsTopic('h-2', 'a-2'), container('h-2', 'a-2', 1), { qos: 1 });
    await expect.poll(() => [...topics].sort()).toEqual([readingsTopic('h-1', 'a-1'), readingsTopic('h-2', 'a-2')]);
  });

  it('when a token is expired, signed by a stranger, or a client id is taken from an agent, then CONNECT is refused', async () => {
    expect(await refusalCode(asToken(await issuer.userToken('ann', { expiresInS: -600 })))).toBe(4);
    expect(await refusalCode(asToken(await issuer.userToken('ann', { key: await issuer.newKey('EdDSA', 'rogue') })))).toBe(4);
    expect(await refusalCode(asToken(await issuer.userToken('ann'), { clientId: 'a-1' }))).toBe(2);
  });

  it('when a connected token expires, then the connection is closed', async () => {
    const ann = await asToken(await issuer.userToken('ann', { expiresInS: 2 }));
    await closed(ann);
    expect(await broker.registry.getSingleMetricAsString('em_broker_credential_cutoffs_total')).toMatch(/token-expired".*} 1/);
  });
});
