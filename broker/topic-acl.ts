// Topic access decisions, as plain functions of the principal and the topic (docs/decisions/006-auth.md §5).
//   agents   publish only em/v1/{own household}/{own agent id}/readings|status; subscribe to nothing
//   users    publish nothing; subscribe only inside em/v1/{a household they belong to}/…
//   services publish nothing; with scope readings:subscribe-all, subscribe anywhere under em/v1/
// Nobody publishes to or subscribes under `$SYS` ([MQTT-4.7.2-1]: `$` topics are the server's).
import { isValidId, parseAgentTopic, TOPIC_PREFIX } from '../proto/topics.js';
import type { ConnectedPrincipal } from './connected-principal.js';

export const SUBSCRIBE_ALL_SCOPE = 'readings:subscribe-all';

export type AclVerdict = { readonly ok: true } | { readonly ok: false; readonly reason: string };

const ALLOW: AclVerdict = { ok: true };
const deny = (reason: string): AclVerdict => ({ ok: false, reason });

/** Why a PUBLISH is refused: every value publishVerdict gives (metrics start each at 0). */
export const PUBLISH_REFUSAL_REASONS = ['unauthenticated', 'sys-topic', 'not-an-agent', 'not-an-agent-topic', 'other-household', 'other-agent'] as const;
type PublishRefusalReason = (typeof PUBLISH_REFUSAL_REASONS)[number];
const denyPublish = (reason: PublishRefusalReason): AclVerdict => deny(reason);

export function publishVerdict(who: ConnectedPrincipal | undefined, topic: string): AclVerdict {
  if (who === undefined) return denyPublish('unauthenticated');
  if (topic.startsWith('$')) return denyPublish('sys-topic');
  if (who.kind !== 'agent') return denyPublish('not-an-agent');
  const parsed = parseAgentTopic(topic);
  if (parsed === undefined) return denyPublish('not-an-agent-topic');
  if (parsed.householdId !== who.householdId) return denyPublish('other-household');
  if (parsed.agentId !== who.agentId) return denyPublish('other-agent');
  return ALLOW;
}

/**
 * The household a filter is confined to, when its first two levels are our prefix and its third a
 * literal household id; undefined for anything that could match several households (`#`, `+/…`,
 * `em/v1/+/…`, `em/#`) or outside our tree. Levels after the household may hold wildcards.
 */
export function householdOfFilter(filter: string): string | undefined {
  const levels = filter.split('/');
  if (`${levels[0]}/${levels[1]}` !== TOPIC_PREFIX) return undefined;
  const household = levels[2];
  return household !== undefined && isValidId(household) ? household : undefined;
}

/** Filters inside em/v1/ only: `em/v1/#`, `em/v1/+/+/readings`, … but not `#`, `+/v1/…` or `em/+/…`. */
function isUnderPrefix(filter: string): boolean {
  return filter.startsWith(`${TOPIC_PREFIX}/`);
}

export function subscribeVerdict(who: ConnectedPrincipal | undefined, filter: string, households: readonly string[]): AclVerdict {
  if (who === undefined) return deny('unauthenticated');
  if (filter.startsWith('$')) return deny('sys-topic');
  // Agents only publish. A future command topic would be em/v1/{household}/{agent}/commands, its own.
  if (who.kind === 'agent') return deny('agents-do-not-subscribe');
  if (who.kind === 'service' && who.principal.scopes.includes(SUBSCRIBE_ALL_SCOPE)) {
    return isUnderPrefix(filter) ? ALLOW : deny('outside-em-v1');
  }
  const household = householdOfFilter(filter);
  if (household === undefined) return deny('spans-households');
  return households.includes(household) ? ALLOW : deny('other-household');
}

/** Whether subscribing needs the principal's memberships (only users and scope-less services do). */
export function needsMemberships(who: ConnectedPrincipal | undefined): who is Extract<ConnectedPrincipal, { kind: 'user' | 'service' }> {
  return who !== undefined && who.kind !== 'agent' && !who.principal.scopes.includes(SUBSCRIBE_ALL_SCOPE);
}
