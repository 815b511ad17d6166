// Auth-service configuration from EM_AUTH_* environment variables, validated once and frozen.
import { z } from 'zod';
import { hostSchema, loadConfig, portSchema, positiveInt, timerMsSchema } from '../../lib/config/load-config.js';
import { isTrustedProxyEntry } from './domain/client-address.js';

/** OWASP Password Storage Cheat Sheet, Argon2id minimum: m=19 MiB, t=2, p=1. Lower is refused. */
export const ARGON2_FLOOR = Object.freeze({ memoryKiB: 19_456, timeCost: 2, parallelism: 1 });

const DAY_S = 24 * 3600;

/**
 * The absolute session lifetime, counted from login, that no refresh extends (OWASP Session
 * Management Cheat Sheet, "Absolute Timeout"; RFC 9700 §4.14.2). At least an hour, so a session
 * outlives a few access tokens; at most a year, so a stolen session ends however it is used.
 */
export const SESSION_MAX_AGE_BOUNDS_S = Object.freeze({ min: 3600, max: 365 * DAY_S });

/**
 * The longest EM_AUTH_AUDIT_RETENTION_DAYS accepted: 100 years, far past any legal hold, and a
 * cutoff a Date can hold (0 keeps the audit log forever).
 */
export const AUDIT_RETENTION_MAX_DAYS = 36_500;

/** The shortest EM_AUTH_PRUNE_INTERVAL_MS accepted. */
export const PRUNE_INTERVAL_MIN_MS = 1000;

const TRUST_EVERYONE = /^(true|yes|1|\*)$/i;

/**
 * EM_AUTH_TRUST_PROXY: `false`, or the reverse proxies (addresses, CIDR blocks, loopback/linklocal/
 * uniquelocal, comma-separated) whose X-Forwarded-For names the client. Never "everyone": then
 * any client could pick its own address and escape every per-address limit.
 */
export const trustedProxiesSchema = z.string().transform((value, ctx): string[] => {
  const trimmed = value.trim();
  if (/^(false|no|0|)$/i.test(trimmed)) return [];
  if (TRUST_EVERYONE.test(trimmed)) {
    ctx.addIssue({
      code: 'custom',
      message: `'${trimmed}' would believe X-Forwarded-For from any client, which could then choose its own address; name the proxies instead, e.g. '127.0.0.1' or '10.0.0.5,10.0.1.0/24'`,
    });
    return z.NEVER;
  }
  const entries = trimmed.split(',').map((e) => e.trim());
  const bad = entries.filter((e) => !isTrustedProxyEntry(e));
  if (bad.length > 0) {
    ctx.addIssue({ code: 'custom', message: `not an IP address, CIDR block (prefix at least 1) or loopback/linklocal/uniquelocal: ${bad.map((b) => `'${b}'`).join(', ')}` });
    return z.NEVER;
  }
  return entries;
});

// No EM_AUTH_KEY_PATH: signing keys live in PostgreSQL so every replica shares them without a
// shared volume (why, and how rotation works: domain/signing-keys.ts).
const schema = z
  .object({
    EM_AUTH_HOST: hostSchema,
    EM_AUTH_PORT: portSchema.default(8081),
    EM_AUTH_DATABASE_URL: z.string().regex(/^postgres(ql)?:\/\//, 'must be a postgres:// URL'),
    EM_AUTH_ISSUER: z.url().optional(),
    EM_AUTH_AUDIENCE: z.string().min(1).default('energymonitor'),
    EM_AUTH_ACCESS_TOKEN_TTL_S: positiveInt.max(3600).default(600),
    EM_AUTH_REFRESH_TOKEN_TTL_S: positiveInt.default(30 * DAY_S),
    EM_AUTH_SESSION_MAX_AGE_S: positiveInt
      .min(SESSION_MAX_AGE_BOUNDS_S.min, `must be at least ${SESSION_MAX_AGE_BOUNDS_S.min} s (1 hour)`)
      .max(SESSION_MAX_AGE_BOUNDS_S.max, `must be at most ${SESSION_MAX_AGE_BOUNDS_S.max} s (365 days)`)
      .default(90 * DAY_S),
    EM_AUTH_INVITATION_TTL_S: positiveInt.default(7 * DAY_S),
    // How long an invitation is kept once closed (expired or accepted; withdrawn ones are deleted at
    // once), so that an owner asking "what happened to my invitation?" still gets an answer for a while.
    EM_AUTH_INVITATION_RETENTION_S: positiveInt.default(30 * DAY_S),
    // How long audit records are kept, by their time (audit_log.at); older ones are deleted by the
    // periodic prune. 400 days by default: a whole year and some, so an incident found late or a
    // yearly review still has the year before it; 0 keeps them forever, for operators whose policy
    // (a legal hold) says so.
    EM_AUTH_AUDIT_RETENTION_DAYS: z.coerce
      .number()
      .int()
      .min(0, 'must be 0 (keep forever) or more')
      .max(AUDIT_RETENTION_MAX_DAYS, `must be at most ${AUDIT_RETENTION_MAX_DAYS} days (100 years); 0 keeps the audit log forever`)
      .default(400),
    // How often rows past their use are deleted (prune-schedule.ts). Each pass runs a statement per
    // table even when nothing is due; more often than once a second would only load the database.
    EM_AUTH_PRUNE_INTERVAL_MS: timerMsSchema.min(PRUNE_INTERVAL_MIN_MS, `must be at least ${PRUNE_INTERVAL_MIN_MS} ms`).default(10 * 60_000),
    EM_AUTH_BODY_LIMIT_BYTES: positiveInt.default(16 * 1024),
    EM_AUTH_METRICS_PORT: portSchema.default(9105),
    EM_AUTH_TRUST_PROXY: trustedProxiesSchema.default([]),
    EM_AUTH_ARGON2_MEMORY_KIB: positiveInt.min(ARGON2_FLOOR.memoryKiB, 'below the OWASP floor of 19456 KiB').default(ARGON2_FLOOR.memoryKiB),
    EM_AUTH_ARGON2_TIME_COST: positiveInt.min(ARGON2_FLOOR.timeCost, 'below the OWASP floor of 2').default(ARGON2_FLOOR.timeCost),
    EM_AUTH_ARGON2_PARALLELISM: positiveInt.min(ARGON2_FLOOR.parallelism).default(ARGON2_FLOOR.parallelism),
    // ASVS V2.2.1: at most 100 failed attempts per hour per account.
    EM_AUTH_LOGIN_MAX_FAILURES_PER_ACCOUNT: positiveInt.max(100).default(100),
    // Per client address: many accounts from one address (credential stuffing); NAT makes it higher.
    EM_AUTH_LOGIN_MAX_FAILURES_PER_ADDRESS: positiveInt.default(1000),
    EM_AUTH_LOGIN_WINDOW_S: positiveInt.default(3600),
    // Each registration costs an Argon2id hash: bound what one address can make us spend.
    EM_AUTH_REGISTER_MAX_PER_ADDRESS: positiveInt.default(20),
    // Quotas (use-cases/quotas.ts): what one account may make us store. Agents bound the series
    // every household shares in InfluxDB (each may report 256 devices a day, broker/README.md);
    // households and invitations bound rows in PostgreSQL. Operator tools are not bound by them.
    EM_AUTH_MAX_HOUSEHOLDS_PER_USER: positiveInt.default(10),
    EM_AUTH_MAX_AGENTS_PER_HOUSEHOLD: positiveInt.default(16),
    // Revoked agents leave the quota above but their series stay in InfluxDB: without this one an
    // owner could register and revoke without end.
    EM_AUTH_MAX_AGENT_REGISTRATIONS_PER_HOUSEHOLD_PER_DAY: positiveInt.default(32),
    EM_AUTH_MAX_MEMBERS_PER_HOUSEHOLD: positiveInt.default(20),
    EM_AUTH_MAX_PENDING_INVITATIONS_PER_HOUSEHOLD: positiveInt.default(10),
    // What provisioning commands tell agents to connect to.
    EM_AUTH_MQTT_URL: z.string().regex(/^(mqtts?|tcp|wss?):\/\/[^\s]+$/, 'must be an mqtt://, mqtts:// or ws(s):// URL').default('mqtt://127.0.0.1:1883'),
    // The repository checkout on a Pi that provisioning commands `cd` into (device-agent/README.md).
    EM_AUTH_AGENT_DIR: z.string().min(1).default('/opt/energymonitor'),
  })
  .transform((env) => ({
    host: env.EM_AUTH_HOST,
    port: env.EM_AUTH_PORT,
    databaseUrl: env.EM_AUTH_DATABASE_URL,
    issuer: (env.EM_AUTH_ISSUER ?? `http://127.0.0.1:${env.EM_AUTH_PORT}`).replace(/\/$/, ''),
    audience: env.EM_AUTH_AUDIENCE,
    accessTokenTtlS: env.EM_AUTH_ACCESS_TOKEN_TTL_S,
    refreshTokenTtlS: env.EM_AUTH_REFRESH_TOKEN_TTL_S,
    sessionMaxAgeS: env.EM_AUTH_SESSION_MAX_AGE_S,
    invitationTtlS: env.EM_AUTH_INVITATION_TTL_S,
    invitationRetentionS: env.EM_AUTH_INVITATION_RETENTION_S,
    auditRetentionDays: env.EM_AUTH_AUDIT_RETENTION_DAYS,
    pruneIntervalMs: env.EM_AUTH_PRUNE_INTERVAL_MS,
    bodyLimitBytes: env.EM_AUTH_BODY_LIMIT_BYTES,
    metricsPort: env.EM_AUTH_METRICS_PORT,
    trustedProxies: env.EM_AUTH_TRUST_PROXY,
    argon2: {
      memoryKiB: env.EM_AUTH_ARGON2_MEMORY_KIB,
      timeCost: env.EM_AUTH_ARGON2_TIME_COST,
      parallelism: env.EM_AUTH_ARGON2_PARALLELISM,
    },
    throttle: {
      maxFailuresPerAccount: env.EM_AUTH_LOGIN_MAX_FAILURES_PER_ACCOUNT,
      maxFailuresPerAddress: env.EM_AUTH_LOGIN_MAX_FAILURES_PER_ADDRESS,
      maxRegistrationsPerAddress: env.EM_AUTH_REGISTER_MAX_PER_ADDRESS,
      windowS: env.EM_AUTH_LOGIN_WINDOW_S,
    },
    quotas: {
      householdsPerUser: env.EM_AUTH_MAX_HOUSEHOLDS_PER_USER,
      agentsPerHousehold: env.EM_AUTH_MAX_AGENTS_PER_HOUSEHOLD,
      agentRegistrationsPerHouseholdPerDay: env.EM_AUTH_MAX_AGENT_REGISTRATIONS_PER_HOUSEHOLD_PER_DAY,
      membersPerHousehold: env.EM_AUTH_MAX_MEMBERS_PER_HOUSEHOLD,
      pendingInvitationsPerHousehold: env.EM_AUTH_MAX_PENDING_INVITATIONS_PER_HOUSEHOLD,
    },
    mqttUrl: env.EM_AUTH_MQTT_URL,
    agentDir: env.EM_AUTH_AGENT_DIR,
  }));

export type AuthConfig = z.infer<typeof schema>;

export function loadAuthConfig(env: Readonly<Record<string, string | undefined>> = process.env): Readonly<AuthConfig> {
  return loadConfig(schema, env);
}

/** The config for the start-up log line, the database password masked. */
export function describeConfig(config: Readonly<AuthConfig>): Record<string, unknown> {
  const url = URL.canParse(config.databaseUrl) ? new URL(config.databaseUrl) : undefined;
  if (url !== undefined && url.password !== '') url.password = '***';
  return { ...config, databaseUrl: url?.toString() ?? '***' };
}
