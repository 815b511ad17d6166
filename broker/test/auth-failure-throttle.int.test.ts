// The per-address failure throttle over real sockets, with a real PostgreSQL directory: an address
// that kept presenting bad credentials is refused before any lookup, while another address
// (127.0.0.2: all of 127/8 is loopback) still authenticates.
import { once } from 'node:events';
import { connect as connectTcp } from 'node:net';
import { generate, parser as mqttParser, type IConnackPacket, type Packet } from 'mqtt-packet';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { connectAsync, type IClientOptions } from 'mqtt';
import { createCachedDirectory } from '../../lib/auth/cached-directory.js';
import { createPgDirectory } from '../../lib/auth/pg-directory.js';
import { DEFAULT_FAILURE_THROTTLE } from '../auth-config.js';
import { createAuthDatabase, type AuthDatabase } from '../../test/support/auth-database.js';
import { startTestBroker, type TestBroker } from '../../test/support/test-broker.js';
import { openClients } from '../../test/support/open-clients.js';

const LIMIT = 3;
let db: AuthDatabase;
let broker: TestBroker;
let secret = '';
/** Agent lookups that reached PostgreSQL (under the cache). */
let lookups = 0;
/** Added to every lookup: a directory under load, so that lookups of CONNECTs sent together overlap. */
let lookupDelayMs = 0;
const clients = openClients();

beforeAll(async () => {
  db = await createAuthDatabase('broker_auth_throttle');
  await db.addHousehold('h-1');
  secret = await db.addAgent('a-1', 'h-1');
  const pg = createPgDirectory(db.pool);
  const counted = {
    ...pg,
    verifyAgent: async (agentId: string, presented: string) => {
      lookups++;
      if (lookupDelayMs > 0) await new Promise((resolve) => setTimeout(resolve, lookupDelayMs));
      return pg.verifyAgent(agentId, presented);
    },
  };
  const cached = createCachedDirectory(counted, pg);
  broker = await startTestBroker(
    { EM_BROKER_AUTH: 'required', EM_BROKER_AUTH_DATABASE_URL: db.url, EM_BROKER_AUTH_FAILURES_PER_ADDRESS: String(LIMIT) },
    { agentDirectory: cached, memberships: cached },
  );
});
afterEach(async () => {
  lookupDelayMs = 0;
  await clients.endAll();
});
afterAll(async () => {
  await broker.dispose();
  await db.close();
});

/** The CONNACK return code MQTT.js (which always connects from 127.0.0.1) gets; 0 when accepted. */
async function connackFromLoopback(options: IClientOptions, url = broker.mqttUrl): Promise<number | undefined> {
  const outcome: unknown = await connectAsync(url, { reconnectPeriod: 0, connectTimeout: 5_000, ...options }).then(
    (c) => (clients.keep(c), { code: 0 }),
    (e: unknown) => e,
  );
  return (outcome as { code?: number }).code;
}

/**
 * The CONNACK return codes for CONNECTs sent from `localAddress` over raw sockets (MQTT.js cannot
 * bind one): every socket is connected first, then every CONNECT written at once, so that they reach
 * the broker together.
 */
async function connacksFrom(localAddress: string, connects: readonly { readonly agentId: string; readonly password: string }[]): Promise<number[]> {
  const sockets = connects.map(({ agentId, password }) => {
    const socket = connectTcp({ host: '127.0.0.1', port: broker.addresses.mqttPort, localAddress });
    socket.on('error', () => undefined);
    const parse = mqttParser({ protocolVersion: 4 });
    const connack = new Promise<IConnackPacket>((resolve) => parse.on('packet', (p: Packet) => p.cmd === 'connack' && resolve(p)));
    socket.on('data', (chunk: Buffer) => parse.parse(chunk));
    const packet = generate({ cmd: 'connect', protocolId: 'MQTT', protocolVersion: 4, clean: true, keepalive: 30, clientId: agentId, username: agentId, password: Buffer.from(password) });
    return { socket, connack, packet };
  });
  await Promise.all(sockets.map(({ socket }) => once(socket, 'connect')));
  for (const { socket, packet } of sockets) socket.write(packet);
  return Promise.all(
    sockets.map(async ({ socket, connack }) => {
      const { returnCode } = await connack;
      socket.destroy();
      return returnCode ?? 0;
    }),
  );
}

async function connackFrom(localAddress: string, agentId: string, password: string): Promise<number> {
  const [code] = await connacksFrom(localAddress, [{ agentId, password }]);
  return code as number;
}

const badAgent = (n: number): IClientOptions => ({ clientId: `nobody-${n}`, username: `nobody-${n}`, password: 'guessed' });

describe('auth failure throttle', () => {
  it('when an address has failed the limit, then its next CONNECT is refused with 0x03 without a lookup, and another address still authenticates', async () => {
    for (let n = 0; n < LIMIT; n++) expect(await connackFromLoopback(badAgent(n))).toBe(4);
    expect(lookups).toBe(LIMIT);

    expect(await connackFromLoopback(badAgent(LIMIT))).toBe(3);
    // Good credentials from the throttled address are refused too, over either listener.
    expect(await connackFromLoopback({ clientId: 'a-1', username: 'a-1', password: secret })).toBe(3);
    expect(await connackFromLoopback({ clientId: 'a-1', username: 'a-1', password: secret }, `ws://127.0.0.1:${broker.addresses.wsPort}/`)).toBe(3);
    expect(lookups).toBe(LIMIT);

    expect(await connackFrom('127.0.0.2', 'a-1', secret)).toBe(0);
    expect(lookups).toBe(LIMIT + 1);
    const attempts = await broker.registry.getSingleMetricAsString('em_broker_auth_attempts_total');
    expect(attempts).toMatch(/kind="agent",outcome="address-throttled".*} 3/);
    expect(attempts).toMatch(/kind="agent",outcome="bad-agent-credentials".*} 3/);
  });

  it('when sixty bad CONNECTs from one address arrive together at a slow directory, then only a few are looked up before it is throttled, and the rest get 0x03', async () => {
    const before = lookups;
    lookupDelayMs = 200;
    const codes = await connacksFrom(
      '127.0.0.3',
      Array.from({ length: 60 }, (_, n) => ({ agentId: `nobody-flood-${n}`, password: 'guessed' })),
    );
    // Lookups are taken a few at a time per address (EM_BROKER_AUTH_LOOKUPS_PER_ADDRESS), so at most
    // that many more than the limit are under way before the throttle sees the limit's failure.
    console.log("LOOKED", lookups - before, codes.join(""));
    const mostLookedUp = LIMIT - 1 + DEFAULT_FAILURE_THROTTLE.maxLookupsPerAddress;
    expect(lookups - before).toBeLessThanOrEqual(mostLookedUp);
    expect(lookups - before).toBeGreaterThanOrEqual(LIMIT);
    expect(codes.filter((code) => code === 4)).toHaveLength(lookups - before);
    expect(codes.filter((code) => code === 3)).toHaveLength(60 - (lookups - before));
  });
});
