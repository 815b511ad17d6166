import { EventEmitter } from 'node:events';
import type { Client } from 'aedes';
import { Registry } from 'prom-client';
import { describe, expect, it } from 'vitest';
import type { MembershipDirectory } from '../../lib/auth/directory.js';
import { createMemoryJournal } from '../../lib/journal/memory-journal.js';
import { silentLogger } from '../../lib/log.js';
import { createAuthorizeSubscribe } from '../authorize-subscribe.js';
import { createPrincipalRegistry } from '../connected-principal.js';
import { createBrokerMetrics } from '../metrics.js';

async function granted(memberships: MembershipDirectory, filter: string, noted: string[] = []): Promise<'granted' | 'refused'> {
  const principals = createPrincipalRegistry();
  const client = Object.assign(new EventEmitter(), { id: '', conn: new EventEmitter() }) as unknown as Client;
  principals.set(client, { kind: 'user', principal: { subject: 'ann', kind: 'user', roles: [], scopes: [], expiresAtS: 0 } });
  const metrics = createBrokerMetrics(new Registry(), createMemoryJournal());
  const memberHouseholds = { granted: (_client: Client, household: string) => void noted.push(household) };
  const authorize = createAuthorizeSubscribe({ principals, memberships, metrics, log: silentLogger(), memberHouseholds });
  return new Promise((resolve, reject) => {
    authorize(client, { topic: filter, qos: 1 }, (err, sub) => (err ? reject(err) : resolve(sub ? 'granted' : 'refused')));
  });
}

describe('authorizeSubscribe', () => {
  const ann: MembershipDirectory = { householdsOf: (s) => Promise.resolve(s === 'ann' ? ['h-1'] : []) };
  it('when a user subscribes inside a household of theirs, then the subscription is granted', async () => {
    expect(await granted(ann, 'em/v1/h-1/#')).toBe('granted');
  });

  it('when a user subscribes to another household, then it is refused (0x80) without an error', async () => {
    expect(await granted(ann, 'em/v1/h-2/#')).toBe('refused');
  });

  it("when a user's filter is granted, then the connection's households are told (its messages flow before the next refresh)", async () => {
    const noted: string[] = [];
    await granted(ann, 'em/v1/h-1/+/readings', noted);
    await granted(ann, 'em/v1/h-2/#', noted);
    expect(noted).toEqual(['h-1']);
  });

  it('when memberships cannot be read, then the filter is refused (0x80) and the connection is kept', async () => {
    const down: MembershipDirectory = { householdsOf: () => Promise.reject(new Error('database down')) };
    expect(await granted(down, 'em/v1/h-1/#')).toBe('refused');
  });
});
