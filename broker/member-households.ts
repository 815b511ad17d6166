// The households each member connection may read, kept current while it is connected
// (docs/decisions/006-auth.md, "Membership ends"). Membership is checked at SUBSCRIBE, but a
// subscription outlives it: removing a member from a household must also stop what their open
// subscriptions, and a resumed persistent session's queue, still deliver.
//   CONNECT   a token holder that needs memberships (topic-acl.ts) gets its subject's households
//             (rejects when they cannot be read: CONNACK 0x03, retry later)
//   forward   Aedes' authorizeForward drops a message outside those households (live, and the
//             queue a resumed session empties); agents and subscribe-all services are not tracked
//   refresh   every poll, one lookup per subject (the cached directory: a removal shows within its
//             TTL); a lost household that one of a connection's subscriptions targets closes that
//             connection, so a re-SUBSCRIBE meets the ACL (0x80). A failed lookup keeps the last set.
import type { Client } from 'aedes';
import type { MembershipDirectory } from '../lib/auth/directory.js';
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
  /** One refresh (also run by the timer). */
  refreshOnce(): Promise<void>;
  stop(): void;
}

interface Subject {
  households: Set<string>;
  /** Open connections not cut off yet. */
  readonly clients: Set<Client>;
  /** Order of the lookup last applied: an answer to an older question arriving late is ignored. */
  appliedAsk: number;
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
  let asks = 0;
  let refreshing: Promise<void> | undefined;
  let unreadable = false;

  const cutOff = (subject: Subject, client: Client, lost: readonly string[]): void => {
    subject.clients.delete(client); // once; byClient still filters its forwards until it is gone
    deps.metrics.credentialCutoffs.inc({ reason: 'membership-ended' });
    deps.log.warn({ clientId: clipForLog(client.id), households: lost }, 'membership ended: closing the connection subscribed to it');
    client.close();
  };
  const apply = (subject: Subject, households: readonly string[], ask: number): void => {
    if (ask < subject.appliedAsk) return;
    subject.appliedAsk = ask;
    const next = new Set(households);
    const lost = [...subject.households].filter((h) => !next.has(h));
    subject.households = next;
    if (lost.length === 0) return;
    for (const client of subject.clients) {
      if (filtersOf(client).some((filter) => lost.includes(householdOfFilter(filter) ?? ''))) cutOff(subject, client, lost);
    }
  };
  const lookUp = async (name: string, subject: Subject): Promise<void> => {
    const ask = ++asks;
    apply(subject, await deps.memberships.householdsOf(name), ask);
  };

  const refresh = async (): Promise<void> => {
    const results = await Promise.allSettled([...subjects].map(([name, subject]) => lookUp(name, subject)));
    const failed = results.find((r) => r.status === 'rejected');
    if (failed !== undefined && !unreadable) {
      deps.log.warn({ err: String(failed.reason) }, 'memberships unreadable: member connections keep their last known households');
    }
    if (failed === undefined && unreadable) deps.log.info('memberships readable again');
    unreadable = failed !== undefined;
  };
  const refreshOnce = (): Promise<void> => {
    refreshing ??= refresh().finally(() => (refreshing = undefined));
    return refreshing;
  };
  const timer = setInterval(() => void refreshOnce(), deps.pollMs);
  timer.unref();

  return {
    async track(client, name) {
      const subject = subjects.get(name) ?? { households: new Set<string>(), clients: new Set<Client>(), appliedAsk: 0 };
      subjects.set(name, subject);
      subject.clients.add(client);
      byClient.set(client, subject);
      client.conn.once('close', () => {
        subject.clients.delete(client);
        if (subject.clients.size === 0 && subjects.get(name) === subject) subjects.delete(name);
      });
      await lookUp(name, subject);
    },
    granted(client, household) {
      byClient.get(client)?.households.add(household);
    },
    mayReceive(client, topic) {
      const subject = byClient.get(client);
      if (subject === undefined) return true;
      const household = householdOfTopic(topic);
      return household !== undefined && subject.households.has(household);
    },
    refreshOnce,
    stop: () => clearInterval(timer),
  };
}
