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
import { createAuthFailureThrottle } from '../auth-failure-throttle.js';
import { createAuthenticate } from '../authenticate.js';
import { createPrincipalRegistry } from '../connected-principal.js';
import { createBrokerMetrics } from '../metrics.js';
import { createConnectFacts } from '../pre-connect.js';
import { withAuthFailureThrottle } from '../with-auth-failure-throttle.js';

const LIMIT = 2;

function setup() {
  let lookups = 0;
  const agents: AgentDirectory = {
    verifyAgent: (agentId, secret) => {
      lookups++;
      if (agentId === 'db-down') return Promise.reject(new Error('connection refused'));
      return Promise.resolve(agentId === 'a-1' && secret === 'right' ? { agentId, householdId: 'h-1' } : undefined);
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
    { throttle: createAuthFailureThrottle(settings), settings, nowMs: () => 0, metrics, log },
    createAuthenticate({ agents, principals: createPrincipalRegistry(), connectFacts, metrics, log }),
  );
  /** The CONNACK return code for a CONNECT from `remoteAddress`. */
  const connect = (username: string | undefined, password: string | undefined, options: { clientId?: string; willTopic?: string; remoteAddress?: string } = {}) => {
    const clientId = options.clientId ?? username ?? 'a-1';
    const client = Object.assign(new EventEmitter(), { id: clientId, conn: Object.assign(new EventEmitter(), { remoteAddress: options.remoteAddress ?? '198.51.100.7' }) }) as unknown as Client;
    const will = options.willTopic === undefined ? undefined : { topic: options.willTopic, payload: Buffer.from('x'), qos: 1 as const, retain: false };
    connectFacts.preConnect(client, { cmd: 'connect', clientId, will } as unknown as ConnectPacket, () => undefined);
    return new Promise<number>((resolve) => {
      authenticate(client, username, password === undefined ? undefined : Buffer.from(password), (err) => resolve(err?.returnCode ?? 0));
    });
  };
  return { connect, lookups: () => lookups, warnings, registry };
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
});
