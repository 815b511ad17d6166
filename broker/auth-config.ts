// EM_BROKER_AUTH_* variables (docs/decisions/006-auth.md, docs/keycloak.md):
//   EM_BROKER_AUTH                 required (default) | disabled (open broker: local experiments, tests)
//   EM_BROKER_AUTH_DATABASE_URL    PostgreSQL with the auth schema (agents, memberships); required unless disabled
//   EM_BROKER_AUTH_ISSUER          token issuer (`iss`); without it only agents can connect
//   EM_BROKER_AUTH_AUDIENCE        expected `aud`, default energymonitor
//   EM_BROKER_AUTH_JWKS_URL        default {issuer}/.well-known/jwks.json (Keycloak: …/protocol/openid-connect/certs)
//   EM_BROKER_AUTH_MEMBERSHIP_CACHE_MS, _AGENT_CACHE_MS, _REFUSED_AGENT_CACHE_MS   (≤ 10 000)
//   EM_BROKER_AUTH_CREDENTIAL_POLL_MS   (≤ 5 000)
// A removed household member stops receiving within MEMBERSHIP_CACHE_MS + CREDENTIAL_POLL_MS (member-households.ts).
import { z } from 'zod';
import { positiveInt } from '../lib/config/load-config.js';
import { MAX_CACHE_TTL_MS } from '../lib/auth/cached-directory.js';

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
  };
}
