import { EventEmitter } from 'node:events';
import type { Client } from 'aedes';
import { Registry } from 'prom-client';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { AgentDirectory, CredentialChanges } from '../../lib/auth/directory.js';
import { createMemoryJournal } from '../../lib/journal/memory-journal.js';
import { silentLogger } from '../../lib/log.js';
import { createPrincipalRegistry } from '../connected-principal.js';
import { LATE_COMMIT_MS, startCredentialWatch } from '../credential-watch.js';
import { createBrokerMetrics } from '../metrics.js';

function fakeClient(id: string) {
  const conn = new EventEmitter();
  const client = { id, conn, closed: 0, close: () => (client.closed += 1) };
  return { client, asClient: client as unknown as Client };
}

function setup(changes: CredentialChanges[]) {
  const asked: number[] = [];
  const forgotten: string[] = [];
  const agents: AgentDirectory & { forgetAgent(id: string): void } = {
    verifyAgent: () => Promise.resolve(undefined),
    credentialChangesSince: (since) => {
      asked.push(since);
      return Promise.resolve(changes.shift() ?? { changes: [], newestMs: since });
    },
    forgetAgent: (id) => forgotten.push(id),
  };
  const principals = createPrincipalRegistry();
  const metrics = createBrokerMetrics(new Registry(), createMemoryJournal());
  const watch = startCredentialWatch({ agents, principals, metrics, log: silentLogger(), pollMs: 1_000, clock: () => 100_000 });
  return { watch, principals, asked, forgotten };
}

afterEach(() => vi.useRealTimers());

describe('credential watch', () => {
  it("when an agent's credentials change, then its open connections are closed and the cache forgets it", async () => {
    const { watch, principals, asked, forgotten } = setup([{ changes: [{ agentId: 'a-1', changedMs: 100_500 }], newestMs: 100_500 }]);
    const a1 = fakeClient('a-1');
    const a2 = fakeClient('a-2');
    principals.set(a1.asClient, { kind: 'agent', agentId: 'a-1', householdId: 'h-1' });
    principals.set(a2.asClient, { kind: 'agent', agentId: 'a-2', householdId: 'h-1' });
    await watch.pollOnce();
    await watch.pollOnce();
    watch.stop();
    expect([a1.client.closed, a2.client.closed]).toEqual([1, 0]);
    expect(forgotten).toEqual(['a-1']);
    // Starts a minute back, then follows the newest change, looking LATE_COMMIT_MS behind it.
    expect(asked).toEqual([40_000 - LATE_COMMIT_MS, 100_500 - LATE_COMMIT_MS]);
  });

  it('when a change stamped earlier commits after a newer one was seen, then it still cuts off, and each change only once', async () => {
    const late = { agentId: 'a-late', changedMs: 100_400 };
    const early = { agentId: 'a-1', changedMs: 100_500 };
    const { watch, principals } = setup([
      { changes: [early], newestMs: 100_500 },
      { changes: [late, early], newestMs: 100_500 }, // a-late committed after the first poll
      { changes: [late, early], newestMs: 100_500 },
    ]);
    const a1 = fakeClient('a-1');
    const aLate = fakeClient('a-late');
    principals.set(a1.asClient, { kind: 'agent', agentId: 'a-1', householdId: 'h-1' });
    principals.set(aLate.asClient, { kind: 'agent', agentId: 'a-late', householdId: 'h-1' });
    await watch.pollOnce();
    await watch.pollOnce();
    await watch.pollOnce();
    watch.stop();
    expect([a1.client.closed, aLate.client.closed]).toEqual([1, 1]);
  });

  it('when a connection authenticated with the credentials a change stamped, then that change does not cut it off', async () => {
    // A rotation at 100 500: a1 connected before it (with the secret of 90 000), a2 after it, with the new secret.
    const { watch, principals, forgotten } = setup([{ changes: [{ agentId: 'a-1', changedMs: 100_500 }], newestMs: 100_500 }]);
    const before = fakeClient('a-1');
    const after = fakeClient('a-1');
    const unknown = fakeClient('a-1');
    principals.set(before.asClient, { kind: 'agent', agentId: 'a-1', householdId: 'h-1', credentialsChangedMs: 90_000 });
    principals.set(after.asClient, { kind: 'agent', agentId: 'a-1', householdId: 'h-1', credentialsChangedMs: 100_500 });
    principals.set(unknown.asClient, { kind: 'agent', agentId: 'a-1', householdId: 'h-1' });
    await watch.pollOnce();
    watch.stop();
    expect([before.client.closed, after.client.closed, unknown.client.closed]).toEqual([1, 0, 1]);
    expect(forgotten).toEqual(['a-1']);
  });

  it('when a connection has closed, then it is no longer listed for its agent', () => {
    const { watch, principals } = setup([]);
    const a1 = fakeClient('a-1');
    principals.set(a1.asClient, { kind: 'agent', agentId: 'a-1', householdId: 'h-1' });
    a1.client.conn.emit('close');
    expect(principals.clientsOfAgent('a-1')).toEqual([]);
    watch.stop();
  });

  it('when a token expires, then its connection is closed at that moment, not before', () => {
    vi.useFakeTimers();
    const { watch } = setup([]);
    const user = fakeClient('');
    watch.closeAtExpiry(user.asClient, 100 + 5); // clock is 100 000 ms = 100 s
    vi.advanceTimersByTime(4_999);
    expect(user.client.closed).toBe(0);
    vi.advanceTimersByTime(1);
    expect(user.client.closed).toBe(1);
    watch.stop();
  });

  it('when the poll interval asked for exceeds 5 s, then the watch refuses to start', () => {
    const principals = createPrincipalRegistry();
    const metrics = createBrokerMetrics(new Registry(), createMemoryJournal());
    const agents: AgentDirectory = { verifyAgent: () => Promise.resolve(undefined), credentialChangesSince: () => Promise.resolve({ changes: [], newestMs: 0 }) };
    expect(() => startCredentialWatch({ agents, principals, metrics, log: silentLogger(), pollMs: 10_000 })).toThrow(/at most 5000/);
  });
});
