// The households each member connection may read, kept current while it is connected
// (docs/decisions/006-auth.md, "Membership ends"). Membership is checked at SUBSCRIBE, but a
// subscription outlives it: removing a member from a household must also stop what their open
// subscriptions, and a resumed persistent session's queue, still deliver.
//   CONNECT   a token holder that needs memberships (topic-acl.ts) gets its subject's households
//             (rejects when they cannot be read: CONNACK 0x03, retry later)
//   forward   Aedes' authorizeForward drops a message outside those households (live, and the
//             queue a resumed session empties); agents and subscribe-all services are not tracked
//   refresh   each subject's households are polled at most `pollMs` apart, once for all its
//             connections (lib/auth/membership-watch.ts; through the cached directory, so a removal
//             shows within its TTL); a lost household that one of a connection's subscriptions
//             targets closes that connection, so a re-SUBSCRIBE meets the ACL (0x80). A failed
//             lookup keeps the last set.
import type { Client } from 'aedes';
import type { MembershipDirectory } from '../lib/auth/directory.js';
import { createMembershipWatch } from '../lib/auth/membership-watch.js';
import { clipForLog, type Logger } from '../lib/log.js';
import { TOPIC_PREFIX } from '../proto/topics.js';
import type { BrokerMetrics } from './metrics.js';
import { householdOfFilter } from './topic-acl.js';

export interface MemberHouseholdsDeps {
  readonly memberships: MembershipDirectory;
  readonly metrics: Pick<BrokerMetrics, 'credentialCutoffs'>;
  readonly log: Logger;
  readonly pollMs: number;
}

export interface MemberHouseholds {
  /** At CONNECT: reads what `subject` may read and holds it for `client` until it closes. */
  track(client: Client, subject: string): Promise<void>;
  /** A SUBSCRIBE inside `household` was granted: its messages flow at once, not after the next refresh. */
  granted(client: Client, household: string): void;
  /** For authorizeForward: false when `client` is tracked and `topic` lies outside its households. */
  mayReceive(client: Client, topic: string): boolean;
  /** Polls every tracked subject now (each is also polled on its own timer). */
  refreshOnce(): Promise<void>;
  stop(): void;
}

interface Subject {
  households: Set<string>;
  /**
   * Households a SUBSCRIBE was granted in, with when (the watch's mark()). An answer to a question
   * asked before a grant cannot know of it (she joined the household in between) and must not
   * undo it; the first answer asked after the grant decides.
   */
  readonly grants: Map<string, number>;
  /** Open connections not cut off yet. */
  readonly clients: Set<Client>;
}

const PREFIX = `${TOPIC_PREFIX}/`;

/** `em/v1/{household}/…` → household, without splitting: this runs per message per member connection. */
function householdOfTopic(topic: string): string | undefined {
  if (!topic.startsWith(PREFIX)) return undefined;
  const end = topic.indexOf('/', PREFIX.length);
  return topic.slice(PREFIX.length, end === -1 ? undefined : end);
}

/** Aedes keeps a client's live subscriptions by filter; its types do not declare the field. */
function filtersOf(client: Client): string[] {
  const subscriptions = (client as unknown as { readonly subscriptions?: Record<string, unknown> }).subscriptions;
  return subscriptions === undefined ? [] : Object.keys(subscriptions);
}

export function startMemberHouseholds(deps: MemberHouseholdsDeps): MemberHouseholds {
  const subjects = new Map<string, Subject>();
  const byClient = new WeakMap<Client, Subject>();

  const cutOff = (subject: Subject, client: Client, lost: readonly string[]): void => {
    subject.clients.delete(client); // once; byClient still filters its forwards until it is gone
    deps.metrics.credentialCutoffs.inc({ reason: 'membership-ended' });
    deps.log.warn({ clientId: clipForLog(client.id), households: lost }, 'membership ended: closing the connection subscribed to it');
    client.close();
  };
  const apply = (name: string, answer: ReadonlySet<string>, askedAt: number): void => {
    const subject = subjects.get(name);
    if (subject === undefined) return;
    const households = new Set(answer);
    for (const [household, grantedAt] of subject.grants) {
      if (grantedAt > askedAt) households.add(household);
      else subject.grants.delete(household);
    }
    const lost = [...subject.households].filter((h) => !households.has(h));
    subject.households = households;
    if (lost.length === 0) return;
    for (const client of subject.clients) {
      if (filtersOf(client).some((filter) => lost.includes(householdOfFilter(filter) ?? ''))) cutOff(subject, client, lost);
    }
  };
  const watch = createMembershipWatch({
    memberships: deps.memberships,
    intervalMs: deps.pollMs,
    onHouseholds: apply,
    log: deps.log,
    messages: { failing: 'memberships unreadable: member connections keep their last known households', working: 'memberships readable again' },
  });

  return {
    async track(client, name) {
      const subject = subjects.get(name) ?? { households: new Set<string>(), grants: new Map<string, number>(), clients: new Set<Client>() };
      subjects.set(name, subject);
      subject.clients.add(client);
      byClient.set(client, subject);
      const unwatch = watch.watch(name);
      client.conn.once('close', () => {
        unwatch();
        subject.clients.delete(client);
        if (subject.clients.size === 0 && subjects.get(name) === subject) subjects.delete(name);
      });
      await watch.lookUp(name);
    },
    granted(client, household) {
      const subject = byClient.get(client);
      subject?.households.add(household);
      subject?.grants.set(household, watch.mark());
    },
    mayReceive(client, topic) {
      const subject = byClient.get(client);
      if (subject === undefined) return true;
      const household = householdOfTopic(topic);
      return household !== undefined && subject.households.has(household);
    },
    refreshOnce: () => watch.pollAll(),
    stop: () => watch.stop(),
  };
}
