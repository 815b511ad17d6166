import { describe, expect, it } from 'vitest';
import { createCachedDirectory } from '../cached-directory.js';
import type { AgentDirectory, MembershipDirectory } from '../directory.js';

function fakes() {
  const calls = { verify: 0, households: 0 };
  const state = { secret: 's1', households: ['h-1'] as string[] };
  const agents: AgentDirectory = {
    verifyAgent: (agentId, secret) => {
      calls.verify += 1;
      return Promise.resolve(agentId === 'a-1' && secret === state.secret ? { agentId, householdId: 'h-1' } : undefined);
    },
    credentialChangesSince: () => Promise.resolve({ changes: [], newestMs: 0 }),
  };
  const memberships: MembershipDirectory = {
    householdsOf: () => {
      calls.households += 1;
      return Promise.resolve([...state.households]);
    },
  };
  let now = 1_000;
  const clock = { now: () => now, advance: (ms: number) => (now += ms) };
  return { agents, memberships, calls, state, clock };
}

describe('cached directory', () => {
  it('when the same agent credentials are verified twice within the TTL, then the database is asked once', async () => {
    const f = fakes();
    const cache = createCachedDirectory(f.agents, f.memberships, {}, f.clock.now);
    expect(await cache.verifyAgent('a-1', 's1')).toEqual({ agentId: 'a-1', householdId: 'h-1' });
    expect(await cache.verifyAgent('a-1', 's1')).toEqual({ agentId: 'a-1', householdId: 'h-1' });
    expect(f.calls.verify).toBe(1);
  });

  it('when the TTL passes, then the answer is fetched again (revocation bites within 10 s)', async () => {
    const f = fakes();
    const cache = createCachedDirectory(f.agents, f.memberships, {}, f.clock.now);
    await cache.verifyAgent('a-1', 's1');
    f.state.secret = 'revoked';
    f.clock.advance(10_000);
    expect(await cache.verifyAgent('a-1', 's1')).toBeUndefined();
  });

  it('when an agent is forgotten after a credential change, then its cached verdict is not used', async () => {
    const f = fakes();
    const cache = createCachedDirectory(f.agents, f.memberships, {}, f.clock.now);
    await cache.verifyAgent('a-1', 's1');
    f.clock.advance(1);
    f.state.secret = 's2';
    cache.forgetAgent('a-1');
    f.clock.advance(1);
    expect(await cache.verifyAgent('a-1', 's1')).toBeUndefined();
    expect(await cache.verifyAgent('a-1', 's2')).toEqual({ agentId: 'a-1', householdId: 'h-1' });
  });

  it('when a wrong secret is retried, then the refusal is cached briefly and then asked again', async () => {
    const f = fakes();
    const cache = createCachedDirectory(f.agents, f.memberships, { refusedAgentMs: 2_000 }, f.clock.now);
    await cache.verifyAgent('a-1', 'wrong');
    await cache.verifyAgent('a-1', 'wrong');
    expect(f.calls.verify).toBe(1);
    f.clock.advance(2_000);
    await cache.verifyAgent('a-1', 'wrong');
    expect(f.calls.verify).toBe(2);
  });

  it('when memberships are asked within the TTL, then they are cached, and refreshed after it', async () => {
    const f = fakes();
    const cache = createCachedDirectory(f.agents, f.memberships, { membershipsMs: 10_000 }, f.clock.now);
    expect(await cache.householdsOf('ann')).toEqual(['h-1']);
    f.state.households = [];
    expect(await cache.householdsOf('ann')).toEqual(['h-1']);
    f.clock.advance(10_000);
    expect(await cache.householdsOf('ann')).toEqual([]);
  });

  it('when a TTL above 10 s is configured, then creating the cache fails', () => {
    const f = fakes();
    expect(() => createCachedDirectory(f.agents, f.memberships, { agentMs: 60_000 })).toThrow(/within 10 s/);
  });
});
