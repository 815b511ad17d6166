// EM_BROKER_AUTH_* variables (docs/decisions/006-auth.md, docs/keycloak.md):
//   EM_BROKER_AUTH                 required (default) | disabled (open broker: local experiments, tests)
//   EM_BROKER_AUTH_DATABASE_URL    PostgreSQL with the auth schema (agents, memberships); required unless disabled
//   EM_BROKER_AUTH_ISSUER          token issuer (`iss`); without it only agents can connect
//   EM_BROKER_AUTH_AUDIENCE        expected `aud`, default energymonitor
//   EM_BROKER_AUTH_JWKS_URL        default {issuer}/.well-known/jwks.json (Keycloak: …/protocol/openid-connect/certs)
//   EM_BROKER_AUTH_MEMBERSHIP_CACHE_MS, _AGENT_CACHE_MS, _REFUSED_AGENT_CACHE_MS   (≤ 10 000)
//   EM_BROKER_AUTH_CREDENTIAL_POLL_MS   (≤ 5 000)
//   EM_BROKER_AUTH_FAILURES_PER_ADDRESS, EM_BROKER_AUTH_FAILURE_WINDOW_MS   per-address throttle (0 disables)
//   EM_BROKER_AUTH_LOOKUPS_PER_ADDRESS   credential lookups under way at once per address (with the throttle)
// A removed household member stops receiving within MEMBERSHIP_CACHE_MS + CREDENTIAL_POLL_MS (member-households.ts).
import { z } from 'zod';
import { positiveInt } from '../lib/config/load-config.js';
import { MAX_CACHE_TTL_MS } from '../lib/auth/cached-directory.js';

/**
 * The per-address failure throttle's defaults (auth-failure-throttle.ts). Only CONNECTs refused for
 * their credentials count: a reconnect storm after a broker restart has good ones and counts nothing.
 * A misconfigured agent (wrong secret) retries with full-jitter backoff from 0.5 s up to 30 s
 * (device-agent/mqtt/backoff.ts): about 9 attempts in its first minute, 4 a minute after. So 20 a
 * minute lets two such agents behind one address (carrier-grade NAT) through their first minute,
 * and five at their steady pace, while a flood costs 20 lookups a minute per address, not thousands
 * a second. Loopback is not exempt: a TLS terminator or proxy on the same host would make every
 * client loopback, and the tests and `npm start` fail no credentials 20 times a minute.
 */
export const DEFAULT_FAILURE_THROTTLE = Object.freeze({ maxFailuresPerAddress: 20, windowMs: 60_000, maxLookupsPerAddress: 4 });

/**
 * CONNECTs from one address waiting for a lookup turn (address-lookup-gate.ts) before more are turned
 * away (0x03): more than the agents behind one carrier-grade NAT address reconnecting together, and
 * at most one closure each, since each is an open connection anyway.
 */
export const MAX_QUEUED_CONNECTS_PER_ADDRESS = 1_000;

const ttl = (defaultMs: number) => z.coerce.number().int().min(0).max(MAX_CACHE_TTL_MS).default(defaultMs);

export const authEnvSchema = {
  EM_BROKER_AUTH: z.enum(['required', 'disabled']).default('required'),
  EM_BROKER_AUTH_DATABASE_URL: z.string().min(1).optional(),
  EM_BROKER_AUTH_ISSUER: z.url().optional(),
  EM_BROKER_AUTH_AUDIENCE: z.string().min(1).default('energymonitor'),
  EM_BROKER_AUTH_JWKS_URL: z.url().optional(),
  EM_BROKER_AUTH_MEMBERSHIP_CACHE_MS: ttl(10_000),
  EM_BROKER_AUTH_AGENT_CACHE_MS: ttl(10_000),
  EM_BROKER_AUTH_REFUSED_AGENT_CACHE_MS: ttl(2_000),
  EM_BROKER_AUTH_CREDENTIAL_POLL_MS: positiveInt.max(5_000).default(2_000),
  EM_BROKER_AUTH_FAILURES_PER_ADDRESS: z.coerce.number().int().min(0).default(DEFAULT_FAILURE_THROTTLE.maxFailuresPerAddress),
  // At most a day: the throttle is for floods, not for banning (that is the firewall's job).
  EM_BROKER_AUTH_FAILURE_WINDOW_MS: positiveInt.max(24 * 60 * 60 * 1000).default(DEFAULT_FAILURE_THROTTLE.windowMs),
  // A lookup takes a few milliseconds (the agent cache answers most), so 4 at a time lets one address
  // through at hundreds of CONNECTs a second, and never holds more than 4 of the directory's pool.
  EM_BROKER_AUTH_LOOKUPS_PER_ADDRESS: positiveInt.max(1_000).default(DEFAULT_FAILURE_THROTTLE.maxLookupsPerAddress),
};

type AuthEnv = z.infer<ReturnType<typeof z.object<typeof authEnvSchema>>>;

export function requireAuthSettings(env: AuthEnv, ctx: z.RefinementCtx): void {
  if (env.EM_BROKER_AUTH === 'required' && env.EM_BROKER_AUTH_DATABASE_URL === undefined) {
    ctx.addIssue({
      code: 'custom',
      path: ['EM_BROKER_AUTH_DATABASE_URL'],
      message: 'required when EM_BROKER_AUTH=required (set EM_BROKER_AUTH=disabled for an open broker)',
    });
  }
}

export type BrokerAuthConfig =
  | { readonly mode: 'disabled' }
  | {
      readonly mode: 'required';
      readonly databaseUrl: string;
      readonly token?: { readonly issuer: string; readonly audience: string; readonly jwksUrl: string };
      readonly cacheTtls: { readonly membershipsMs: number; readonly agentMs: number; readonly refusedAgentMs: number };
      readonly credentialPollMs: number;
      /**
       * Failed authentications per client address per window (auth-failure-throttle.ts; 0 disables),
       * and lookups under way at once per address while it is on (address-lookup-gate.ts).
       */
      readonly failureThrottle: { readonly maxFailuresPerAddress: number; readonly windowMs: number; readonly maxLookupsPerAddress: number };
    };

export function authConfig(env: AuthEnv): BrokerAuthConfig {
  if (env.EM_BROKER_AUTH === 'disabled') return { mode: 'disabled' };
  const issuer = env.EM_BROKER_AUTH_ISSUER;
  return {
    mode: 'required',
    databaseUrl: env.EM_BROKER_AUTH_DATABASE_URL ?? '',
    token:
      issuer === undefined
        ? undefined
        : {
            issuer,
            audience: env.EM_BROKER_AUTH_AUDIENCE,
            jwksUrl: env.EM_BROKER_AUTH_JWKS_URL ?? `${issuer.replace(/\/$/, '')}/.well-known/jwks.json`,
          },
    cacheTtls: {
      membershipsMs: env.EM_BROKER_AUTH_MEMBERSHIP_CACHE_MS,
      agentMs: env.EM_BROKER_AUTH_AGENT_CACHE_MS,
      refusedAgentMs: env.EM_BROKER_AUTH_REFUSED_AGENT_CACHE_MS,
    },
    credentialPollMs: env.EM_BROKER_AUTH_CREDENTIAL_POLL_MS,
    failureThrottle: {
      maxFailuresPerAddress: env.EM_BROKER_AUTH_FAILURES_PER_ADDRESS,
      windowMs: env.EM_BROKER_AUTH_FAILURE_WINDOW_MS,
      maxLookupsPerAddress: env.EM_BROKER_AUTH_LOOKUPS_PER_ADDRESS,
    },
  };
}
