// CONNECT authentication decisions (MQTT 3.1.1 §3.2.2.3 return codes), with fake directories.
import { EventEmitter } from 'node:events';
import type { Client } from 'aedes';
import type { IConnectPacket as ConnectPacket } from 'mqtt-packet';
import { describe, expect, it } from 'vitest';
import { Registry } from 'prom-client';
import type { AgentDirectory } from '../../lib/auth/directory.js';
import { TokenRejectedError, type AccessTokenVerifier, type Principal } from '../../lib/auth/principal.js';
import { pino } from 'pino';
import { silentLogger, type Logger } from '../../lib/log.js';
import { createAuthenticate, type AuthenticateDeps } from '../authenticate.js';
import { createPrincipalRegistry } from '../connected-principal.js';
import { createBrokerMetrics } from '../metrics.js';
import { createConnectFacts } from '../pre-connect.js';
import { createMemoryJournal } from '../../lib/journal/memory-journal.js';

const agents: AgentDirectory = {
  verifyAgent: (agentId, secret) => {
    if (agentId === 'db-down') return Promise.reject(new Error('connection refused'));
    return Promise.resolve(agentId === 'a-1' && secret === 'right' ? { agentId, householdId: 'h-1' } : undefined);
  },
  credentialChangesSince: () => Promise.resolve({ changes: [], newestMs: 0 }),
};

const principal = (kind: Principal['kind']): Principal => ({ subject: 'sub-1', kind, roles: [], scopes: [], expiresAtS: 2_000_000_000 });
const verifier: AccessTokenVerifier = {
  verify: (token) => {
    if (token === 'user-token') return Promise.resolve(principal('user'));
    if (token === 'reader-token') return Promise.resolve({ ...principal('service'), scopes: ['readings:subscribe-all'] });
    if (token === 'jwks-down') return Promise.reject(new TokenRejectedError('jwks-unavailable', 'down'));
    return Promise.reject(new TokenRejectedError('expired', 'expired'));
  },
};

interface Attempt {
  readonly username?: string;
  readonly password?: string;
  readonly clientId?: string;
  readonly willTopic?: string;
}

async function connect(
  attempt: Attempt,
  withVerifier = true,
  log: Logger = silentLogger(),
  memberHouseholds?: AuthenticateDeps['memberHouseholds'],
): Promise<{ returnCode: number; kind?: string }> {
  const principals = createPrincipalRegistry();
  const connectFacts = createConnectFacts();
  const metrics = createBrokerMetrics(new Registry(), createMemoryJournal());
  const authenticate = createAuthenticate({ agents, verifier: withVerifier ? verifier : undefined, principals, connectFacts, metrics, log, memberHouseholds });
  const clientId = attempt.clientId ?? 'a-1';
  const client = Object.assign(new EventEmitter(), { id: clientId || 'aedes_assigned', conn: new EventEmitter() }) as unknown as Client;
  const will = attempt.willTopic === undefined ? undefined : { topic: attempt.willTopic, payload: Buffer.from('offline'), qos: 1 as const, retain: true };
  const packet = { cmd: 'connect', clientId, will } as unknown as ConnectPacket;
  connectFacts.preConnect(client, packet, () => undefined);
  return new Promise((resolve) => {
    authenticate(client, attempt.username, attempt.password === undefined ? undefined : Buffer.from(attempt.password), (err, ok) => {
      resolve(ok === true && err === null ? { returnCode: 0, kind: principals.get(client)?.kind } : { returnCode: err?.returnCode ?? -1 });
    });
  });
}

describe('authenticate', () => {
  it.each<[string, Attempt, number]>([
    ['the agent presents its secret', { username: 'a-1', password: 'right' }, 0],
    ['the agent presents a wrong secret', { username: 'a-1', password: 'wrong' }, 4],
    ['an unknown agent connects', { username: 'a-9', password: 'right', clientId: 'a-9' }, 4],
    ['the username is not an agent id', { username: 'a 1/#', password: 'right' }, 4],
    ['no credentials are sent', {}, 5],
    ['a username without password is sent', { username: 'a-1' }, 5],
    ['the directory is down', { username: 'db-down', password: 'x', clientId: 'db-down' }, 3],
    ['the agent uses another client id', { username: 'a-1', password: 'right', clientId: 'a-2' }, 2],
    ['the agent sets a will on its own status topic', { username: 'a-1', password: 'right', willTopic: 'em/v1/h-1/a-1/status' }, 0],
    ['the agent sets a will on another household', { username: 'a-1', password: 'right', willTopic: 'em/v1/h-2/a-1/status' }, 5],
    ['the agent sets a will on $SYS', { username: 'a-1', password: 'right', willTopic: '$SYS/x' }, 5],
    ['a valid user token with a server-assigned id', { username: 'token', password: 'user-token', clientId: '' }, 0],
    ['a valid user token with a {sub}: client id', { username: 'token', password: 'user-token', clientId: 'sub-1:web' }, 0],
    ['a valid user token with an agent id as client id', { username: 'token', password: 'user-token', clientId: 'a-1' }, 2],
    ['a user token with a will', { username: 'token', password: 'user-token', clientId: '', willTopic: 'em/v1/h-1/a-1/status' }, 5],
    ['an expired token', { username: 'token', password: 'expired', clientId: '' }, 4],
    ['the JWKS is unreachable', { username: 'token', password: 'jwks-down', clientId: '' }, 3],
  ])('when %s, then CONNACK return code is %i', async (_what, attempt, returnCode) => {
    expect((await connect(attempt)).returnCode).toBe(returnCode);
  });

  it('when an agent is accepted, then its principal is recorded as an agent', async () => {
    expect(await connect({ username: 'a-1', password: 'right' })).toEqual({ returnCode: 0, kind: 'agent' });
  });

  it("when a user connects, then their households are read before the CONNECT is accepted, and an unreadable directory gets 0x03", async () => {
    const tracked: string[] = [];
    const members = (fail: boolean): AuthenticateDeps['memberHouseholds'] => ({
      track: (_client, subject) => (tracked.push(subject), fail ? Promise.reject(new Error('database down')) : Promise.resolve()),
    });
    expect(await connect({ username: 'token', password: 'user-token', clientId: '' }, true, silentLogger(), members(false))).toEqual({ returnCode: 0, kind: 'user' });
    expect(tracked).toEqual(['sub-1']);
    expect((await connect({ username: 'token', password: 'user-token', clientId: '' }, true, silentLogger(), members(true))).returnCode).toBe(3);
  });

  it('when an agent or a subscribe-all service connects, then no households are read for it', async () => {
    const tracked: string[] = [];
    const members: AuthenticateDeps['memberHouseholds'] = { track: (_client, subject) => (tracked.push(subject), Promise.resolve()) };
    expect((await connect({ username: 'a-1', password: 'right' }, true, silentLogger(), members)).returnCode).toBe(0);
    expect((await connect({ username: 'token', password: 'reader-token', clientId: '' }, true, silentLogger(), members)).returnCode).toBe(0);
    expect(tracked).toEqual([]);
  });

  it('when no issuer is configured, then a token is refused with 0x04', async () => {
    expect((await connect({ username: 'token', password: 'user-token', clientId: '' }, false)).returnCode).toBe(4);
  });

  it('when a CONNECT carries a 60 KB client id and username, then the refusal is logged in a line of bounded length', async () => {
    // Before any credential is checked, so anyone could write megabytes to the broker's log.
    const lines: string[] = [];
    const log = pino({ level: 'info' }, { write: (line: string) => lines.push(line) });
    const huge = 'x'.repeat(60_000);
    expect(await connect({ username: huge, password: 'wrong', clientId: huge }, true, log)).toEqual({ returnCode: 4 });
    expect(lines).toHaveLength(1);
    expect(lines[0]?.length).toBeLessThan(1_000);
    expect(lines[0]).toContain('(60000 chars)');
  });
});
