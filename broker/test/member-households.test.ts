// What a member connection may still read once a membership ends (member-households.ts), with a
// fake membership directory behind the real cache, a fake clock and fake Aedes clients.
import { EventEmitter } from 'node:events';
import type { Client } from 'aedes';
import { Registry } from 'prom-client';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { createCachedDirectory } from '../../lib/auth/cached-directory.js';
import type { AgentDirectory, MembershipDirectory } from '../../lib/auth/directory.js';
import { createMemoryJournal } from '../../lib/journal/memory-journal.js';
import { silentLogger, type Logger } from '../../lib/log.js';
import { startMemberHouseholds, type MemberHouseholds } from '../member-households.js';
import { createBrokerMetrics } from '../metrics.js';

const CACHE_MS = 10_000;
const POLL_MS = 2_000;

function fakeClient(id: string, filters: string[] = []) {
  const conn = new EventEmitter();
  const subscriptions: Record<string, { qos: number }> = Object.fromEntries(filters.map((f) => [f, { qos: 1 }]));
  const client = { id, conn, subscriptions, closed: 0, close: () => (client.closed += 1) };
  return Object.assign(client, { asClient: client as unknown as Client });
}

/** A membership table the test edits, read through the real cache on a clock the test moves. */
function setup(table: Record<string, string[]>, log: Logger = silentLogger()) {
  let now = 1_000_000;
  let down = false;
  const lookups: string[] = [];
  const source: MembershipDirectory = {
    householdsOf(subject) {
      lookups.push(subject);
      return down ? Promise.reject(new Error('connection refused')) : Promise.resolve([...(table[subject] ?? [])]);
    },
  };
  const noAgents: AgentDirectory = { verifyAgent: () => Promise.resolve(undefined), credentialChangesSince: () => Promise.resolve({ changes: [], newestMs: 0 }) };
  const memberships = createCachedDirectory(noAgents, source, { membershipsMs: CACHE_MS }, () => now);
  const registry = new Registry();
  const members = startMemberHouseholds({ memberships, metrics: createBrokerMetrics(registry, createMemoryJournal()), log, pollMs: POLL_MS });
  return {
    members,
    lookups,
    advance: (ms: number) => (now += ms),
    setDown: (value: boolean) => (down = value),
    cutoffs: async () => (await registry.getSingleMetricAsString('em_broker_credential_cutoffs_total')).match(/membership-ended"} (\d+)/)?.[1],
  };
}

const started: MemberHouseholds[] = [];
afterEach(() => {
  for (const m of started.splice(0)) m.stop();
  vi.useRealTimers();
});
const track = (s: ReturnType<typeof setup>): ReturnType<typeof setup> => {
  started.push(s.members);
  return s;
};

describe('member households', () => {
  it('when a membership ends, then within the cache TTL and one refresh the connection subscribed to it is closed and its forwards stop', async () => {
    const table = { ann: ['h-1', 'h-2'] };
    const { members, advance, cutoffs } = track(setup(table));
    const ann = fakeClient('ann:live', ['em/v1/h-1/+/+']);
    await members.track(ann.asClient, 'ann');
    expect(members.mayReceive(ann.asClient, 'em/v1/h-1/a-1/readings')).toBe(true);

    table.ann = ['h-2'];
    advance(CACHE_MS - 1); // the cached answer still holds
    await members.refreshOnce();
    expect(ann.closed).toBe(0);
    advance(1);
    await members.refreshOnce();
    expect(ann.closed).toBe(1);
    expect(members.mayReceive(ann.asClient, 'em/v1/h-1/a-1/readings')).toBe(false);
    expect(members.mayReceive(ann.asClient, 'em/v1/h-2/a-1/readings')).toBe(true);
    expect(await cutoffs()).toBe('1');
    await members.refreshOnce();
    expect([ann.closed, await cutoffs()]).toEqual([1, '1']); // cut off once
  });

  it('when a membership ends, then a connection not subscribed to that household stays up but gets none of its messages', async () => {
    const table = { ann: ['h-1', 'h-2'] };
    const { members, advance } = track(setup(table));
    const other = fakeClient('ann:other', ['em/v1/h-2/#']);
    await members.track(other.asClient, 'ann');
    table.ann = ['h-2'];
    advance(CACHE_MS);
    await members.refreshOnce();
    expect(other.closed).toBe(0);
    expect(members.mayReceive(other.asClient, 'em/v1/h-1/a-1/status')).toBe(false);
    expect(members.mayReceive(other.asClient, 'em/v1/h-2/a-1/status')).toBe(true);
  });

  it('when a subject has several connections, then each refresh looks its memberships up once', async () => {
    const { members, lookups, advance } = track(setup({ ann: ['h-1'], bob: ['h-1'] }));
    for (const id of ['ann:1', 'ann:2', 'ann:3']) await members.track(fakeClient(id).asClient, 'ann');
    await members.track(fakeClient('bob:1').asClient, 'bob');
    advance(CACHE_MS);
    lookups.length = 0;
    await members.refreshOnce();
    expect(lookups.sort()).toEqual(['ann', 'bob']);
  });

  it('when the directory fails during refreshes, then nobody is cut off, the last households hold, and it is logged once', async () => {
    const warnings: string[] = [];
    const log = Object.assign(silentLogger(), { warn: (_o: unknown, msg: string) => warnings.push(msg) }) as Logger;
    const table = { ann: ['h-1'] };
    const { members, advance, setDown } = track(setup(table, log));
    const ann = fakeClient('ann:live', ['em/v1/h-1/#']);
    await members.track(ann.asClient, 'ann');
    setDown(true);
    for (let i = 0; i < 3; i++) {
      advance(CACHE_MS);
      await members.refreshOnce();
    }
    expect(ann.closed).toBe(0);
    expect(members.mayReceive(ann.asClient, 'em/v1/h-1/a-1/readings')).toBe(true);
    expect(warnings).toHaveLength(1);

    table.ann = [];
    setDown(false);
    await members.refreshOnce();
    expect(ann.closed).toBe(1);
  });

  it('when memberships cannot be read at CONNECT, then tracking rejects (the CONNECT gets 0x03)', async () => {
    const { members, setDown } = track(setup({ ann: ['h-1'] }));
    setDown(true);
    await expect(members.track(fakeClient('ann:live').asClient, 'ann')).rejects.toThrow(/connection refused/);
  });

  it('when a connection is not tracked (an agent, a subscribe-all service), then every forward passes and nothing is looked up', async () => {
    const { members, lookups } = track(setup({}));
    const agent = fakeClient('a-1');
    await members.refreshOnce();
    expect(members.mayReceive(agent.asClient, 'em/v1/h-9/a-9/readings')).toBe(true);
    expect(lookups).toEqual([]);
  });

  it('when a member connection gets a topic outside em/v1/{household}/…, then it is refused', async () => {
    const { members } = track(setup({ ann: ['h-1'] }));
    const ann = fakeClient('ann:live');
    await members.track(ann.asClient, 'ann');
    for (const topic of ['em/v1/h-1', 'em/v1/h-1/a-1/readings']) expect(members.mayReceive(ann.asClient, topic)).toBe(true);
    for (const topic of ['$SYS/x', 'em/v2/h-1/a', 'em/v1/h-10/a', 'em/v1//h-1']) expect(members.mayReceive(ann.asClient, topic)).toBe(false);
  });

  it("when a subject's last connection closes, then it is no longer looked up", async () => {
    const { members, lookups, advance } = track(setup({ ann: ['h-1'] }));
    const ann = fakeClient('ann:live');
    await members.track(ann.asClient, 'ann');
    ann.conn.emit('close');
    lookups.length = 0;
    advance(CACHE_MS);
    await members.refreshOnce();
    expect(lookups).toEqual([]);
  });

  it('when a SUBSCRIBE in a household joined since CONNECT is granted, then its messages flow before the next refresh', async () => {
    const { members } = track(setup({ ann: ['h-1'] }));
    const ann = fakeClient('ann:live');
    await members.track(ann.asClient, 'ann');
    expect(members.mayReceive(ann.asClient, 'em/v1/h-2/a-1/readings')).toBe(false);
    members.granted(ann.asClient, 'h-2');
    expect(members.mayReceive(ann.asClient, 'em/v1/h-2/a-1/readings')).toBe(true);
  });

  it('when an older lookup answers after a newer one, then its stale answer is ignored', async () => {
    const answers: ((households: string[]) => void)[] = [];
    const memberships: MembershipDirectory = { householdsOf: () => new Promise((resolve) => answers.push(resolve)) };
    const members = startMemberHouseholds({ memberships, metrics: createBrokerMetrics(new Registry(), createMemoryJournal()), log: silentLogger(), pollMs: POLL_MS });
    started.push(members);
    const first = fakeClient('ann:1', ['em/v1/h-1/#']);
    const second = fakeClient('ann:2', ['em/v1/h-1/#']);
    const tracking = members.track(first.asClient, 'ann');
    answers[0]?.(['h-1']);
    await tracking;
    const stale = members.refreshOnce(); // asked while ann had only h-1 …
    const fresh = members.track(second.asClient, 'ann'); // … then ann joined h-2
    answers[2]?.(['h-1', 'h-2']);
    await fresh;
    answers[1]?.(['h-1']);
    await stale;
    expect(members.mayReceive(second.asClient, 'em/v1/h-2/a/status')).toBe(true);
  });

  it('when a poll asked before a SUBSCRIBE was granted answers after it, then the new household is kept and the connection stays up', async () => {
    const answers: ((households: string[]) => void)[] = [];
    const memberships: MembershipDirectory = { householdsOf: () => new Promise((resolve) => answers.push(resolve)) };
    const members = startMemberHouseholds({ memberships, metrics: createBrokerMetrics(new Registry(), createMemoryJournal()), log: silentLogger(), pollMs: POLL_MS });
    started.push(members);
    const ann = fakeClient('ann:live', ['em/v1/h-1/#']);
    const tracking = members.track(ann.asClient, 'ann');
    answers[0]?.(['h-1']);
    await tracking;
    const polled = members.refreshOnce(); // asked while ann had only h-1 …
    ann.subscriptions['em/v1/h-2/#'] = { qos: 1 }; // … then she joined h-2 and the broker granted a SUBSCRIBE in it
    members.granted(ann.asClient, 'h-2');
    answers[1]?.(['h-1']);
    await polled;
    expect(ann.closed).toBe(0);
    expect(members.mayReceive(ann.asClient, 'em/v1/h-2/a/status')).toBe(true);
    // A poll asked after the grant is the word on it: h-2 is gone now, and so is the connection.
    const next = members.refreshOnce();
    answers[2]?.(['h-1']);
    await next;
    expect(ann.closed).toBe(1);
    expect(members.mayReceive(ann.asClient, 'em/v1/h-2/a/status')).toBe(false);
  });

  it('when the poll interval passes, then a refresh runs by itself, and none after stop', async () => {
    vi.useFakeTimers();
    const lookups: string[] = [];
    const memberships: MembershipDirectory = { householdsOf: (subject) => (lookups.push(subject), Promise.resolve(['h-1'])) };
    const members = startMemberHouseholds({ memberships, metrics: createBrokerMetrics(new Registry(), createMemoryJournal()), log: silentLogger(), pollMs: POLL_MS });
    await members.track(fakeClient('ann:live').asClient, 'ann');
    await vi.advanceTimersByTimeAsync(POLL_MS);
    expect(lookups).toEqual(['ann', 'ann']);
    members.stop();
    await vi.advanceTimersByTimeAsync(POLL_MS * 3);
    expect(lookups).toEqual(['ann', 'ann']);
  });
});
