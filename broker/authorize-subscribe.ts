// Aedes' authorizeSubscribe hook. A refused filter gets return code 0x80 in the SUBACK and the
// connection stays up (MQTT 3.1.1 §3.9.3); the other filters of the same SUBSCRIBE are unaffected.
import type { MembershipDirectory } from '../lib/auth/directory.js';
import { clipForLog, type Logger } from '../lib/log.js';
import type { AuthorizeSubscribeHandler } from './aedes-types.js';
import type { PrincipalRegistry } from './connected-principal.js';
import type { MemberHouseholds } from './member-households.js';
import type { BrokerMetrics } from './metrics.js';
import { householdOfFilter, needsMemberships, subscribeVerdict } from './topic-acl.js';

export interface AuthorizeSubscribeDeps {
  readonly principals: PrincipalRegistry;
  readonly memberships: MembershipDirectory;
  readonly metrics: Pick<BrokerMetrics, 'subscribesRefused'>;
  readonly log: Logger;
  /** Told of each household a member's filter was granted in, so its messages are forwarded at once. */
  readonly memberHouseholds?: Pick<MemberHouseholds, 'granted'>;
}

export function createAuthorizeSubscribe(deps: AuthorizeSubscribeDeps): AuthorizeSubscribeHandler {
  return (client, subscription, callback) => {
    const who = deps.principals.get(client);
    const households = needsMemberships(who) ? deps.memberships.householdsOf(who.principal.subject) : Promise.resolve([]);
    households.then(
      (list) => {
        const verdict = subscribeVerdict(who, subscription.topic, list);
        if (verdict.ok) {
          const household = needsMemberships(who) ? householdOfFilter(subscription.topic) : undefined;
          if (household !== undefined) deps.memberHouseholds?.granted(client, household);
          callback(null, subscription);
          return;
        }
        deps.metrics.subscribesRefused.inc({ kind: who?.kind ?? 'unknown', reason: verdict.reason });
        deps.log.info({ clientId: clipForLog(client.id), filter: clipForLog(subscription.topic), reason: verdict.reason }, 'subscribe refused');
        callback(null, null); // granted 0x80 [MQTT-3.9.3]
      },
      (err: unknown) => {
        // Memberships unknown (database down): refuse this filter, keep the connection.
        deps.metrics.subscribesRefused.inc({ kind: who?.kind ?? 'unknown', reason: 'directory-unavailable' });
        deps.log.warn({ clientId: clipForLog(client.id), filter: clipForLog(subscription.topic), err: String(err) }, 'subscribe refused: memberships unavailable');
        callback(null, null);
      },
    );
  };
}
