// The broker's CONNECT, SUBSCRIBE and publish-ACL metrics, and the connections it cut off.
import { Counter, type Registry } from 'prom-client';
import type { BrokerMetrics } from './metrics.js';
import { PUBLISH_REFUSAL_REASONS } from './topic-acl.js';

/** Why a connection was cut off (em_broker_credential_cutoffs_total; each starts at 0). */
export const CREDENTIAL_CUTOFF_REASONS = ['credentials-changed', 'token-expired', 'membership-ended'] as const;

export function createAuthMetrics(registry: Registry): Pick<BrokerMetrics, 'authAttempts' | 'subscribesRefused' | 'publishesRefused' | 'credentialCutoffs'> {
  const publishesRefused = new Counter({
    name: 'em_broker_publishes_refused_total',
    help: 'PUBLISH packets (and wills) refused by the topic ACL, by reason; the connection is closed',
    labelNames: ['reason'],
    registers: [registry],
  });
  // Every reason from 0, so dashboards and rate() see the series before the first refusal.
  for (const reason of PUBLISH_REFUSAL_REASONS) publishesRefused.inc({ reason }, 0);
  const credentialCutoffs = new Counter({
    name: 'em_broker_credential_cutoffs_total',
    help: 'Connections closed because their credentials changed (rotated/revoked agent), their token expired, or a membership one of their subscriptions needs ended',
    labelNames: ['reason'],
    registers: [registry],
  });
  for (const reason of CREDENTIAL_CUTOFF_REASONS) credentialCutoffs.inc({ reason }, 0);
  return {
    authAttempts: new Counter({
      name: 'em_broker_auth_attempts_total',
      help: 'CONNECT authentications, by principal kind (agent, user, service; token/none when refused) and outcome (accepted, or the refusal reason; address-throttled: refused before any lookup, its address having failed too often)',
      labelNames: ['kind', 'outcome'],
      registers: [registry],
    }),
    subscribesRefused: new Counter({
      name: 'em_broker_subscribes_refused_total',
      help: 'SUBSCRIBE filters refused with return code 0x80, by principal kind and reason',
      labelNames: ['kind', 'reason'],
      registers: [registry],
    }),
    publishesRefused,
    credentialCutoffs,
  };
}
