// The auth service's Prometheus metrics (served by lib/metrics/metrics-server.ts on its own port).
import { Counter, Histogram, type Registry } from 'prom-client';

export interface AuthMetrics {
  readonly logins: Counter<'outcome'>;
  readonly registrations: Counter<'outcome'>;
  readonly tokensIssued: Counter<'kind'>;
  readonly refreshReuse: Counter;
  readonly throttled: Counter;
  readonly quotaRefusals: Counter<'quota'>;
  readonly invitationsPruned: Counter;
  readonly refreshTokensPruned: Counter;
  readonly auditRowsPruned: Counter;
  readonly requestDuration: Histogram<'method' | 'route' | 'status'>;
}

export function createAuthMetrics(registry: Registry): AuthMetrics {
  return {
    logins: new Counter({ name: 'em_auth_logins_total', help: 'Login attempts by outcome (success, failure, throttled)', labelNames: ['outcome'], registers: [registry] }),
    registrations: new Counter({
      name: 'em_auth_registrations_total',
      help: 'Registrations: created, or existing-email (answered like created)',
      labelNames: ['outcome'],
      registers: [registry],
    }),
    tokensIssued: new Counter({ name: 'em_auth_tokens_issued_total', help: 'Access tokens issued by kind (user, service)', labelNames: ['kind'], registers: [registry] }),
    refreshReuse: new Counter({ name: 'em_auth_refresh_reuse_detected_total', help: 'Refresh tokens presented twice (family revoked)', registers: [registry] }),
    throttled: new Counter({ name: 'em_auth_throttled_total', help: 'Login attempts refused by the throttle', registers: [registry] }),
    quotaRefusals: new Counter({
      name: 'em_auth_quota_refusals_total',
      help: 'Requests refused because a quota was met, by quota (households-per-user, agents-per-household, agent-registrations-per-household-per-day, members-per-household, pending-invitations-per-household)',
      labelNames: ['quota'],
      registers: [registry],
    }),
    invitationsPruned: new Counter({
      name: 'em_auth_invitations_pruned_total',
      help: 'Invitations deleted because they closed (expired or accepted) more than EM_AUTH_INVITATION_RETENTION_S ago',
      registers: [registry],
    }),
    refreshTokensPruned: new Counter({
      name: 'em_auth_refresh_tokens_pruned_total',
      help: 'Refresh tokens deleted because they were over (expired, or their session past EM_AUTH_SESSION_MAX_AGE_S) for more than an hour',
      registers: [registry],
    }),
    auditRowsPruned: new Counter({
      name: 'em_auth_audit_rows_pruned_total',
      help: 'Audit-log rows deleted because they were older than EM_AUTH_AUDIT_RETENTION_DAYS',
      registers: [registry],
    }),
    requestDuration: new Histogram({
      name: 'em_auth_request_duration_seconds',
      help: 'HTTP request duration by route and status',
      labelNames: ['method', 'route', 'status'],
      buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5],
      registers: [registry],
    }),
  };
}
