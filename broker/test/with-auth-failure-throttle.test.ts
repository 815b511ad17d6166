// Which refusals the per-address throttle counts, around the real authenticate hook with a fake
// directory (the counting itself: auth-failure-throttle.test.ts; over sockets: *.int.test.ts).
import { EventEmitter } from 'node:events';
import type { Client } from 'aedes';
import type { IConnectPacket as ConnectPacket } from 'mqtt-packet';
import { Registry } from 'prom-client';
import { describe, expect, it } from 'vitest';
import type { AgentDirectory } from '../../lib/auth/directory.js';
import { createMemoryJournal } from '../../lib/journal/memory-journal.js';
import { silentLogger, type Logger } from '../../lib/log.js';
import { createAddressLookupGate } from '../address-lookup-gate.js';
import { createAuthFailureThrottle } from '../auth-failure-throttle.js';
import { createAuthenticate } from '../authenticate.js';
import { createPrincipalRegistry } from '../connected-principal.js';
import { createBrokerMetrics } from '../metrics.js';
import { createConnectFacts } from '../pre-connect.js';
import { withAuthFailureThrottle } from '../with-auth-failure-throttle.js';

const LIMIT = 2;
const LOOKUPS_PER_ADDRESS = 3;

function setup(gateSettings = { maxConcurrentPerKey: LOOKUPS_PER_ADDRESS, maxQueuedPerKey: 1_000 }) {
  let lookups = 0;
  let underWay = 0;
  let mostUnderWay = 0;
  const agents: AgentDirectory = {
    verifyAgent: async (agentId, secret) => {
      lookups++;
      mostUnderWay = Math.max(mostUnderWay, ++underWay);
      // Answers a few ticks later, as a query would, so that CONNECTs sent together overlap.
      await new Promise((resolve) => setTimeout(resolve, 1));
      underWay--;
      if (agentId === 'db-down') throw new Error('connection refused');
      return agentId.startsWith('a-') && secret === 'right' ? { agentId, householdId: 'h-1' } : undefined;
    },
    credentialChangesSince: () => Promise.resolve({ changes: [], newestMs: 0 }),
  };
  const warnings: string[] = [];
  const log = Object.assign(silentLogger(), { warn: (_obj: unknown, msg: string) => void warnings.push(msg) }) as unknown as Logger;
  const registry = new Registry();
  const metrics = createBrokerMetrics(registry, createMemoryJournal());
  const connectFacts = createConnectFacts();
  const settings = { maxFailuresPerAddress: LIMIT, windowMs: 60_000 };
  const authenticate = withAuthFailureThrottle(
    { throttle: createAuthFailureThrottle(settings), gate: createAddressLookupGate(gateSettings), settings, nowMs: () => 0, metrics, log },
    createAuthenticate({ agents, principals: createPrincipalRegistry(), connectFacts, metrics, log }),
  );
  /** The CONNACK return code for a CONNECT from `remoteAddress`. */
  const connect = (
    username: string | undefined,
    password: string | undefined,
    options: { clientId?: string; willTopic?: string; remoteAddress?: string; client?: { closed: boolean } } = {},
  ) => {
    const clientId = options.clientId ?? username ?? 'a-1';
    const client = Object.assign(options.client ?? { closed: false }, new EventEmitter(), {
      id: clientId,
      conn: Object.assign(new EventEmitter(), { remoteAddress: options.remoteAddress ?? '198.51.100.7' }),
    }) as unknown as Client;
    const will = options.willTopic === undefined ? undefined : { topic: options.willTopic, payload: Buffer.from('x'), qos: 1 as const, retain: false };
    connectFacts.preConnect(client, { cmd: 'connect', clientId, will } as unknown as ConnectPacket, () => undefined);
    return new Promise<number>((resolve) => {
      authenticate(client, username, password === undefined ? undefined : Buffer.from(password), (err) => resolve(err?.returnCode ?? 0));
    });
  };
  return { connect, lookups: () => lookups, mostUnderWay: () => mostUnderWay, warnings, registry };
}

describe('with auth failure throttle', () => {
  it('when an address has had the limit of bad secrets, then its next CONNECT gets 0x03 without a lookup, is counted, and the start is logged once', async () => {
    const { connect, lookups, warnings, registry } = setup();
    expect(await connect('a-1', 'wrong')).toBe(4);
    expect(await connect('a-9', 'guess')).toBe(4);
    expect(await connect('a-1', 'right')).toBe(3);
    expect(await connect('a-1', 'wrong')).toBe(3);
    expect(lookups()).toBe(LIMIT);
    expect(warnings).toEqual([expect.stringMatching(/^address throttled/)]);
    expect(await registry.getSingleMetricAsString('em_broker_auth_attempts_total')).toMatch(/kind="agent",outcome="address-throttled"} 2/);
    expect(await connect('a-1', 'right', { remoteAddress: '198.51.100.8' })).toBe(0);
  });

  it('when CONNECTs carry no credentials or a malformed user name, then they count as failures', async () => {
    const { connect } = setup();
    expect(await connect(undefined, undefined)).toBe(5);
    expect(await connect('not an id', 'x', { clientId: 'c' })).toBe(4);
    expect(await connect('a-1', 'right')).toBe(3);
  });

  it('when the directory is down, the client id is not the agent, or the will is foreign, then nothing is counted', async () => {
    const { connect } = setup();
    for (let i = 0; i < 3; i++) {
      expect(await connect('db-down', 'x')).toBe(3);
      expect(await connect('a-1', 'right', { clientId: 'a-2' })).toBe(2);
      expect(await connect('a-1', 'right', { willTopic: 'em/v1/h-2/a-2/status' })).toBe(5);
    }
    expect(await connect('a-1', 'right')).toBe(0);
  });

  it('when a hundred bad CONNECTs from one address arrive together, then only a turn\'s worth are looked up and the rest are refused once it is throttled', async () => {
    const { connect, lookups, mostUnderWay } = setup();
    const codes = await Promise.all(Array.from({ length: 100 }, (_, i) => connect(`a-${i}`, 'wrong')));
    // Each failure before the LIMIT-th frees a turn for the next in line; the lookups under way when
    // the LIMIT-th throttled the address still answer 0x04, and every CONNECT behind them is refused
    // 0x03 without a lookup. Without the gate, all hundred would be looked up.
    const lookedUp = LIMIT - 1 + LOOKUPS_PER_ADDRESS;
    expect(lookups()).toBe(lookedUp);
    expect(codes.filter((code) => code === 4)).toHaveLength(lookedUp);
    expect(codes.filter((code) => code === 3)).toHaveLength(100 - lookedUp);
    expect(mostUnderWay()).toBe(LOOKUPS_PER_ADDRESS);
  });

  it('when fifty good agents behind one address reconnect together, then every one is accepted, a few lookups at a time', async () => {
    const { connect, lookups, mostUnderWay } = setup();
    const codes = await Promise.all(Array.from({ length: 50 }, (_, i) => connect(`a-${i}`, 'right')));
    expect(codes).toEqual(Array.from({ length: 50 }, () => 0));
    expect(lookups()).toBe(50);
    expect(mostUnderWay()).toBe(LOOKUPS_PER_ADDRESS);
  });

  it('when an address\'s line of waiting CONNECTs is full, then the next one gets 0x03 at once, counted as address-busy, and another address is served', async () => {
    const { connect, lookups, registry } = setup({ maxConcurrentPerKey: 1, maxQueuedPerKey: 2 });
    const codes = await Promise.all([1, 2, 3, 4].map((i) => connect(`a-${i}`, 'right')));
    expect(codes).toEqual([0, 0, 0, 3]);
    expect(lookups()).toBe(3);
    expect(await registry.getSingleMetricAsString('em_broker_auth_attempts_total')).toMatch(/kind="agent",outcome="address-busy"} 1/);
    expect(await connect('a-1', 'right', { remoteAddress: '198.51.100.8' })).toBe(0);
  });

  it('when a client waiting for its turn has gone, then its credentials are not looked up', async () => {
    const { connect, lookups } = setup({ maxConcurrentPerKey: 1, maxQueuedPerKey: 10 });
    const gone = { closed: false };
    const first = connect('a-1', 'right');
    const second = connect('a-2', 'right', { client: gone });
    gone.closed = true;
    expect(await first).toBe(0);
    await second;
    expect(lookups()).toBe(1);
  });
});
