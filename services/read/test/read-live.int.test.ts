// The live stream end to end: an agent publishes to the real broker (auth required), the read
// service's MQTT feed (a client-credentials service token) picks it up, a viewer's SSE stream
// shows it. Real PostgreSQL memberships, real signed tokens.
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { connectAsync, type MqttClient } from 'mqtt';
import { createCachedDirectory } from '../../../lib/auth/cached-directory.js';
import { createPgDirectory } from '../../../lib/auth/pg-directory.js';
import { createTokenVerifier } from '../../../lib/auth/token-verifier.js';
import { encodeContainer } from '../../../proto/container.js';
import { readingsTopic } from '../../../proto/topics.js';
import { createAuthDatabase, type AuthDatabase } from '../../../test/support/auth-database.js';
import { startTestBroker, type TestBroker } from '../../../test/support/test-broker.js';
import { startTestIssuer, type TestIssuer } from '../../../test/support/test-issuer.js';
import { connectMqttFeed } from '../live/live-feed.js';
import { startReadFixture, type ReadFixture } from './support/read-fixture.js';
import { openSse, type SseEvent, type SseReader } from './support/sse-reader.js';

const H = 'h-live';
const OTHER = 'h-live-other';
const AGENT = 'a-live';
// Long enough that a loaded CI machine reconnects within it; the last test waits it out.
const LINGER_MS = 4_000;

let db: AuthDatabase;
let issuer: TestIssuer;
let broker: TestBroker;
let f: ReadFixture;
let agent: MqttClient;
let token: string;
let seq = 0;
const readers: SseReader[] = [];

beforeAll(async () => {
  [db, issuer] = await Promise.all([createAuthDatabase('read_live'), startTestIssuer()]);
  await db.addHousehold(H);
  await db.addHousehold(OTHER);
  const secret = await db.addAgent(AGENT, H);
  const userId = await db.addUser('viewer');
  await db.addMembership(H, userId);
  token = await issuer.userToken('viewer');
  const directory = createPgDirectory(db.pool);
  const cached = createCachedDirectory(directory, directory);
  broker = await startTestBroker(
    { EM_BROKER_AUTH: 'required', EM_BROKER_AUTH_DATABASE_URL: db.url },
    { agentDirectory: cached, memberships: cached, verifier: createTokenVerifier(issuer.verifierOptions) },
  );
  f = await startReadFixture({
    db,
    issuer,
    env: { EM_READ_SSE_HEARTBEAT_MS: '200', EM_READ_SSE_LINGER_MS: String(LINGER_MS) },
    feed: () => connectMqttFeed({ url: broker.mqttUrl, username: 'token', passwordProvider: () => issuer.serviceToken('read-service', 'readings:subscribe-all') }),
  });
  agent = await connectAsync(broker.mqttUrl, { clientId: AGENT, username: AGENT, password: secret, reconnectPeriod: 0 });
});

afterEach(() => {
  for (const r of readers.splice(0)) r.close();
});

afterAll(async () => {
  await agent?.endAsync();
  await f?.close();
  await broker?.dispose();
  await Promise.all([db?.close(), issuer?.close()]);
});

async function publish(powerW: number): Promise<number> {
  seq += 1;
  const now = Date.now();
  const payload = encodeContainer({ householdId: H, agentId: AGENT, seq, createdAtMs: now, measurements: [{ deviceId: 'kettle', quantity: 'power_w', value: powerW, timestampMs: now }] });
  // Bounded, so a lost connection fails here with a reason instead of at the test timeout.
  await withTimeout(agent.publishAsync(readingsTopic(H, AGENT), Buffer.from(payload), { qos: 1 }), `PUBACK for seq ${seq}`);
  return seq;
}

async function withTimeout<T>(work: Promise<T>, what: string, ms = 15_000): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`no ${what} within ${ms} ms`)), ms);
  });
  try {
    return await Promise.race([work, timeout]);
  } finally {
    clearTimeout(timer);
  }
}

async function watch(householdId = H, headers: Record<string, string> = {}): Promise<SseReader> {
  const reader = await withTimeout(openSse(`${f.baseUrl}/v1/households/${householdId}/live`, { authorization: `Bearer ${token}`, ...headers }), 'SSE response headers');
  readers.push(reader);
  return reader;
}

const isContainer = (wanted: number) => (e: SseEvent) => e.event === 'container' && (JSON.parse(e.data) as { seq: number }).seq === wanted;

async function eventually(check: () => Promise<boolean>, what: string): Promise<void> {
  for (let i = 0; i < 400; i += 1) {
    if (await check()) return;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  throw new Error(`never happened: ${what}`);
}

describe('read service live stream (real broker, PostgreSQL, tokens)', () => {
  it('when nobody watches, then the read service subscribes to nothing', async () => {
    expect(await f.metric('em_read_mqtt_subscriptions')).toBe(0);
  });

  it('when a container is published, then it arrives on the household stream with its readings', async () => {
    const viewer = await watch();
    expect(viewer.status).toBe(200);
    await eventually(async () => (await f.metric('em_read_mqtt_subscriptions')) === 1, 'subscribed');
    const sent = await publish(2_150);
    const event = await viewer.next(isContainer(sent));
    expect(event.id).toMatch(/^.+-\d+$/);
    expect(JSON.parse(event.data)).toEqual({ agent: AGENT, seq: sent, readings: [{ device: 'kettle', quantity: 'power_w', value: 2_150, ts: expect.any(Number) as number }] });
    viewer.close();
  });

  it('when a stream is open, then heartbeat comments keep it alive', async () => {
    const viewer = await watch();
    await eventually(() => Promise.resolve(viewer.comments() >= 3), 'three heartbeats');
    viewer.close();
  });

  it('when a viewer reconnects with Last-Event-ID, then it gets exactly the events it missed', async () => {
    const first = await watch();
    await eventually(async () => (await f.metric('em_read_mqtt_subscriptions')) === 1, 'subscribed');
    const seen = await publish(100);
    const last = await first.next(isContainer(seen));
    first.close();
    const missed = [await publish(200), await publish(300)];
    const again = await watch(H, { 'last-event-id': last.id ?? '' });
    const replayed = [await again.next((e) => e.event === 'container'), await again.next((e) => e.event === 'container')];
    expect(replayed.map((e) => (JSON.parse(e.data) as { seq: number }).seq)).toEqual(missed);
    again.close();
  });

  it('when a Last-Event-ID is unknown, then the stream says resync', async () => {
    const viewer = await watch(H, { 'last-event-id': 'gone-7' });
    const event = await viewer.next((e) => e.event === 'resync');
    expect(JSON.parse(event.data)).toEqual({ reason: 'last-event-id-too-old' });
    viewer.close();
  });

  it('when the last viewer has left for longer than the linger time, then the subscription ends', async () => {
    await eventually(async () => (await f.metric('em_read_sse_viewers')) === 0, 'viewers gone');
    await eventually(async () => (await f.metric('em_read_mqtt_subscriptions')) === 0, 'unsubscribed');
  });

  it("when another household's stream is asked for, then 403; without a token, 401", async () => {
    expect((await watch(OTHER)).status).toBe(403);
    expect((await watch(H, { authorization: 'Bearer nonsense' })).status).toBe(401);
  });
});
