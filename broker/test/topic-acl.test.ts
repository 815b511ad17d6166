// Topic ACL decisions, table-driven (docs/decisions/006-auth.md §5).
import { describe, expect, it } from 'vitest';
import type { Principal } from '../../lib/auth/principal.js';
import type { ConnectedPrincipal } from '../connected-principal.js';
import { householdOfFilter, publishVerdict, subscribeVerdict } from '../topic-acl.js';

const agent: ConnectedPrincipal = { kind: 'agent', agentId: 'a-1', householdId: 'h-1' };
const person = (kind: Principal['kind'], scopes: string[] = []): ConnectedPrincipal => ({
  kind,
  principal: { subject: `${kind}-subject`, kind, roles: [], scopes, expiresAtS: 0 },
});
const user = person('user');
const service = person('service', ['readings:subscribe-all']);
const scopelessService = person('service');

describe('publish ACL', () => {
  it.each([
    ['em/v1/h-1/a-1/readings', 'ok'],
    ['em/v1/h-1/a-1/status', 'ok'],
    ['em/v1/h-2/a-1/readings', 'other-household'],
    ['em/v1/h-1/a-2/readings', 'other-agent'],
    ['em/v1/h-1/a-1/commands', 'not-an-agent-topic'],
    ['em/v1/h-1/a-1/readings/extra', 'not-an-agent-topic'],
    ['em/v1/h-1//readings', 'not-an-agent-topic'],
    ['em/v1//a-1/readings', 'not-an-agent-topic'],
    ['/em/v1/h-1/a-1/readings', 'not-an-agent-topic'],
    ['em/v2/h-1/a-1/readings', 'not-an-agent-topic'],
    ['EM/v1/h-1/a-1/readings', 'not-an-agent-topic'],
    ['em/v1/h 1/a-1/readings', 'not-an-agent-topic'],
    ['$SYS/broker/uptime', 'sys-topic'],
    ['$share/x/em/v1/h-1/a-1/readings', 'sys-topic'],
    ['house/notes', 'not-an-agent-topic'],
    ['', 'not-an-agent-topic'],
  ])('when an agent of h-1 publishes to %j, then the verdict is %s', (topic, expected) => {
    const verdict = publishVerdict(agent, topic);
    expect(verdict.ok ? 'ok' : verdict.reason).toBe(expected);
  });

  it.each([
    [user, 'em/v1/h-1/a-1/readings'],
    [user, 'em/v1/h-1/a-1/status'],
    [service, 'em/v1/h-1/a-1/readings'],
    [user, 'house/notes'],
  ])('when a %s token holder publishes to %j, then it is refused', (who, topic) => {
    expect(publishVerdict(who, topic)).toEqual({ ok: false, reason: 'not-an-agent' });
  });

  it('when nobody is authenticated (will of an unknown client), then it is refused', () => {
    expect(publishVerdict(undefined, 'em/v1/h-1/a-1/status')).toEqual({ ok: false, reason: 'unauthenticated' });
  });
});

describe('subscribe ACL', () => {
  const mine = ['h-1', 'h-3'];
  it.each([
    ['em/v1/h-1/a-1/readings', 'ok'],
    ['em/v1/h-1/+/+', 'ok'],
    ['em/v1/h-1/#', 'ok'],
    ['em/v1/h-3/+/status', 'ok'],
    ['em/v1/h-1', 'ok'],
    ['em/v1/h-2/#', 'other-household'],
    ['em/v1/h-2/a-9/readings', 'other-household'],
    ['em/v1/+/#', 'spans-households'],
    ['em/v1/+/a-1/readings', 'spans-households'],
    ['em/v1/#', 'spans-households'],
    ['em/+/h-1/#', 'spans-households'],
    ['+/v1/h-1/#', 'spans-households'],
    ['em/v1//#', 'spans-households'],
    ['em/v1/h-1+/#', 'spans-households'],
    ['#', 'spans-households'],
    ['+', 'spans-households'],
    ['$SYS/#', 'sys-topic'],
    ['$SYS/broker/clients', 'sys-topic'],
    ['house/notes', 'spans-households'],
  ])('when a user of h-1 and h-3 subscribes to %j, then the verdict is %s', (filter, expected) => {
    const verdict = subscribeVerdict(user, filter, mine);
    expect(verdict.ok ? 'ok' : verdict.reason).toBe(expected);
  });

  it.each([
    ['em/v1/#', 'ok'],
    ['em/v1/+/+/readings', 'ok'],
    ['em/v1/h-2/#', 'ok'],
    ['#', 'outside-em-v1'],
    ['+/v1/#', 'outside-em-v1'],
    ['em/#', 'outside-em-v1'],
    ['$SYS/#', 'sys-topic'],
  ])('when a service with readings:subscribe-all subscribes to %j, then the verdict is %s', (filter, expected) => {
    const verdict = subscribeVerdict(service, filter, []);
    expect(verdict.ok ? 'ok' : verdict.reason).toBe(expected);
  });

  it('when a service without the scope subscribes, then it is treated like a user without households', () => {
    expect(subscribeVerdict(scopelessService, 'em/v1/h-1/#', [])).toEqual({ ok: false, reason: 'other-household' });
    expect(subscribeVerdict(scopelessService, 'em/v1/#', [])).toEqual({ ok: false, reason: 'spans-households' });
  });

  it.each(['em/v1/h-1/a-1/readings', 'em/v1/h-1/a-1/commands', '#'])('when an agent subscribes to %j, then it is refused', (filter) => {
    expect(subscribeVerdict(agent, filter, ['h-1'])).toEqual({ ok: false, reason: 'agents-do-not-subscribe' });
  });

  it('when a household filter is parsed, then only a literal id at level 3 counts', () => {
    expect(householdOfFilter('em/v1/h-1/#')).toBe('h-1');
    expect(householdOfFilter('em/v1/+/#')).toBeUndefined();
    expect(householdOfFilter('em/v1/#')).toBeUndefined();
  });
});
