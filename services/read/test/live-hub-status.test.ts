import { describe, expect, it } from 'vitest';
import { silentLogger } from '../../../lib/log.js';
import { createLiveHub } from '../live/live-hub.js';
import type { LiveFeed } from '../live/live-feed.js';

/** A broker stand-in: a status subscription gets the agents' retained messages 20 ms after it. */
function retainedStatusFeed(retained: Record<string, string>): LiveFeed & { subscriptions: number } {
  const handlers: ((topic: string, payload: Buffer) => void)[] = [];
  const feed = {
    subscriptions: 0,
    subscribe(filter: string) {
      feed.subscriptions += 1;
      const household = filter.split('/')[2] ?? '';
      setTimeout(() => {
        for (const [agent, status] of Object.entries(retained)) for (const h of handlers) h(`em/v1/${household}/${agent}/status`, Buffer.from(status));
      }, 20);
      return Promise.resolve();
    },
    unsubscribe: () => Promise.resolve(),
    onMessage: (handler: (topic: string, payload: Buffer) => void) => void handlers.push(handler),
    onReconnect: () => undefined,
    close: () => Promise.resolve(),
  };
  return feed;
}

const metrics = { viewers: () => undefined, subscriptions: () => undefined, undecodable: () => undefined };

describe('live hub: agents’ retained status', () => {
  it('when three requests ask for the same household at once, then every one gets every agent’s status', async () => {
    const feed = retainedStatusFeed({ a1: 'online', a2: 'offline', a3: 'online' });
    const hub = createLiveHub(feed, { ringCapacity: 8, resumeWindowMs: 1000, lingerMs: 0, metrics, log: silentLogger() });
    const answers = await Promise.all([hub.agentStatus('h1'), hub.agentStatus('h1'), hub.agentStatus('h1')]);
    for (const answer of answers) expect(Object.fromEntries(answer)).toEqual({ a1: 'online', a2: 'offline', a3: 'online' });
    expect(feed.subscriptions).toBe(1);
    // A later request looks again (statuses change).
    expect(Object.fromEntries(await hub.agentStatus('h1'))).toEqual({ a1: 'online', a2: 'offline', a3: 'online' });
    expect(feed.subscriptions).toBe(2);
  });
});
