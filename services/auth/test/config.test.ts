import { describe, expect, it } from 'vitest';
import { ConfigError } from '../../../lib/config/load-config.js';
import { AUDIT_RETENTION_MAX_DAYS, describeConfig, loadAuthConfig } from '../config.js';

const base = { EM_AUTH_DATABASE_URL: 'postgres://u:secret@127.0.0.1:5432/auth' };

describe('auth config', () => {
  it('when only the database URL is set, then the documented defaults apply', () => {
    const config = loadAuthConfig(base);
    expect(config).toMatchObject({
      host: '127.0.0.1',
      port: 8081,
      issuer: 'http://127.0.0.1:8081',
      audience: 'energymonitor',
      accessTokenTtlS: 600,
      refreshTokenTtlS: 30 * 24 * 3600,
      sessionMaxAgeS: 90 * 24 * 3600,
      bodyLimitBytes: 16 * 1024,
      metricsPort: 9105,
      argon2: { memoryKiB: 19_456, timeCost: 2, parallelism: 1 },
      throttle: { maxFailuresPerAccount: 100 },
    });
    expect(Object.isFrozen(config)).toBe(true);
  });

  it('when Argon2 parameters are below the OWASP floor, then start-up refuses them by name', () => {
    expect(() => loadAuthConfig({ ...base, EM_AUTH_ARGON2_MEMORY_KIB: '8192' })).toThrow(/EM_AUTH_ARGON2_MEMORY_KIB/);
    expect(() => loadAuthConfig({ ...base, EM_AUTH_ARGON2_TIME_COST: '1' })).toThrow(/EM_AUTH_ARGON2_TIME_COST/);
  });

  it('when the per-account limit exceeds ASVS V2.2.1, or the database URL is missing, then ConfigError', () => {
    expect(() => loadAuthConfig({ ...base, EM_AUTH_LOGIN_MAX_FAILURES_PER_ACCOUNT: '500' })).toThrow(ConfigError);
    expect(() => loadAuthConfig({})).toThrow(/EM_AUTH_DATABASE_URL/);
  });

  it('when EM_AUTH_SESSION_MAX_AGE_S is under an hour or over a year, then start-up refuses it by name', () => {
    expect(() => loadAuthConfig({ ...base, EM_AUTH_SESSION_MAX_AGE_S: '3599' })).toThrow(/EM_AUTH_SESSION_MAX_AGE_S: must be at least 3600 s/);
    expect(() => loadAuthConfig({ ...base, EM_AUTH_SESSION_MAX_AGE_S: String(365 * 24 * 3600 + 1) })).toThrow(/EM_AUTH_SESSION_MAX_AGE_S: must be at most/);
    expect(() => loadAuthConfig({ ...base, EM_AUTH_SESSION_MAX_AGE_S: '90d' })).toThrow(/EM_AUTH_SESSION_MAX_AGE_S/);
    expect(loadAuthConfig({ ...base, EM_AUTH_SESSION_MAX_AGE_S: '3600' }).sessionMaxAgeS).toBe(3600);
  });

  it('when no quota is set, then the documented defaults apply', () => {
    expect(loadAuthConfig(base).quotas).toEqual({
      householdsPerUser: 10,
      agentsPerHousehold: 16,
      agentRegistrationsPerHouseholdPerDay: 32,
      membersPerHousehold: 20,
      pendingInvitationsPerHousehold: 10,
    });
  });

  it.each([
    'EM_AUTH_MAX_HOUSEHOLDS_PER_USER',
    'EM_AUTH_MAX_AGENTS_PER_HOUSEHOLD',
    'EM_AUTH_MAX_AGENT_REGISTRATIONS_PER_HOUSEHOLD_PER_DAY',
    'EM_AUTH_MAX_MEMBERS_PER_HOUSEHOLD',
    'EM_AUTH_MAX_PENDING_INVITATIONS_PER_HOUSEHOLD',
  ])(
    'when %s is not a positive whole number, then start-up refuses it by name',
    (name) => {
      for (const bad of ['0', '-1', '2.5', 'many']) expect(() => loadAuthConfig({ ...base, [name]: bad })).toThrow(new RegExp(name));
    },
  );

  it('when quotas are set, then each is used as given', () => {
    const config = loadAuthConfig({
      ...base,
      EM_AUTH_MAX_HOUSEHOLDS_PER_USER: '1',
      EM_AUTH_MAX_AGENTS_PER_HOUSEHOLD: '64',
      EM_AUTH_MAX_AGENT_REGISTRATIONS_PER_HOUSEHOLD_PER_DAY: '100',
      EM_AUTH_MAX_MEMBERS_PER_HOUSEHOLD: '5',
      EM_AUTH_MAX_PENDING_INVITATIONS_PER_HOUSEHOLD: '2',
    });
    expect(config.quotas).toEqual({ householdsPerUser: 1, agentsPerHousehold: 64, agentRegistrationsPerHouseholdPerDay: 100, membersPerHousehold: 5, pendingInvitationsPerHousehold: 2 });
  });

  it('when EM_AUTH_INVITATION_RETENTION_S is unset, then closed invitations are kept 30 days; a value that is not a positive whole number is refused by name', () => {
    expect(loadAuthConfig(base).invitationRetentionS).toBe(30 * 24 * 3600);
    expect(loadAuthConfig({ ...base, EM_AUTH_INVITATION_RETENTION_S: '3600' }).invitationRetentionS).toBe(3600);
    for (const bad of ['0', '-1', '2.5', '30d']) expect(() => loadAuthConfig({ ...base, EM_AUTH_INVITATION_RETENTION_S: bad })).toThrow(/EM_AUTH_INVITATION_RETENTION_S/);
  });

  it('when EM_AUTH_AUDIT_RETENTION_DAYS is unset, then audit records are kept 400 days; 0 keeps them forever; a value that is not a whole number from 0 to 36500 is refused by name', () => {
    expect(loadAuthConfig(base).auditRetentionDays).toBe(400);
    expect(loadAuthConfig({ ...base, EM_AUTH_AUDIT_RETENTION_DAYS: '0' }).auditRetentionDays).toBe(0);
    expect(loadAuthConfig({ ...base, EM_AUTH_AUDIT_RETENTION_DAYS: '1' }).auditRetentionDays).toBe(1);
    expect(loadAuthConfig({ ...base, EM_AUTH_AUDIT_RETENTION_DAYS: String(AUDIT_RETENTION_MAX_DAYS) }).auditRetentionDays).toBe(AUDIT_RETENTION_MAX_DAYS);
    expect(() => loadAuthConfig({ ...base, EM_AUTH_AUDIT_RETENTION_DAYS: '-1' })).toThrow(/EM_AUTH_AUDIT_RETENTION_DAYS: must be 0 \(keep forever\) or more/);
    expect(() => loadAuthConfig({ ...base, EM_AUTH_AUDIT_RETENTION_DAYS: String(AUDIT_RETENTION_MAX_DAYS + 1) })).toThrow(/EM_AUTH_AUDIT_RETENTION_DAYS: must be at most 36500 days/);
    for (const bad of ['2.5', '400d', 'forever', 'NaN', '1e400']) expect(() => loadAuthConfig({ ...base, EM_AUTH_AUDIT_RETENTION_DAYS: bad })).toThrow(/EM_AUTH_AUDIT_RETENTION_DAYS/);
  });

  it('when EM_AUTH_PRUNE_INTERVAL_MS is unset, then the prune runs every 10 minutes; under a second, past a Node timer or not whole, it is refused by name', () => {
    expect(loadAuthConfig(base).pruneIntervalMs).toBe(10 * 60_000);
    expect(loadAuthConfig({ ...base, EM_AUTH_PRUNE_INTERVAL_MS: '1000' }).pruneIntervalMs).toBe(1000);
    expect(() => loadAuthConfig({ ...base, EM_AUTH_PRUNE_INTERVAL_MS: '999' })).toThrow(/EM_AUTH_PRUNE_INTERVAL_MS: must be at least 1000 ms/);
    for (const bad of ['0', '-1', '1500.5', '10m', String(2 ** 31)]) expect(() => loadAuthConfig({ ...base, EM_AUTH_PRUNE_INTERVAL_MS: bad })).toThrow(/EM_AUTH_PRUNE_INTERVAL_MS/);
  });

  it('when EM_AUTH_TRUST_PROXY is unset or false, then no proxy is trusted', () => {
    expect(loadAuthConfig(base).trustedProxies).toEqual([]);
    expect(loadAuthConfig({ ...base, EM_AUTH_TRUST_PROXY: 'false' }).trustedProxies).toEqual([]);
  });

  it('when EM_AUTH_TRUST_PROXY lists addresses, blocks or range names, then exactly those are trusted', () => {
    expect(loadAuthConfig({ ...base, EM_AUTH_TRUST_PROXY: '127.0.0.1, 10.0.1.0/24,::1,fd00::/8,loopback' }).trustedProxies).toEqual([
      '127.0.0.1',
      '10.0.1.0/24',
      '::1',
      'fd00::/8',
      'loopback',
    ]);
  });

  it('when EM_AUTH_TRUST_PROXY would trust every client (true, *, a /0 block), then start-up refuses it by name with the reason', () => {
    for (const everyone of ['true', 'TRUE', 'yes', '1', '*']) {
      expect(() => loadAuthConfig({ ...base, EM_AUTH_TRUST_PROXY: everyone })).toThrow(/EM_AUTH_TRUST_PROXY: .*from any client/);
    }
    expect(() => loadAuthConfig({ ...base, EM_AUTH_TRUST_PROXY: '0.0.0.0/0' })).toThrow(/EM_AUTH_TRUST_PROXY: .*'0.0.0.0\/0'/);
    expect(() => loadAuthConfig({ ...base, EM_AUTH_TRUST_PROXY: '::/0' })).toThrow(ConfigError);
  });

  it('when EM_AUTH_TRUST_PROXY holds something that is not an address, then ConfigError names it', () => {
    expect(() => loadAuthConfig({ ...base, EM_AUTH_TRUST_PROXY: '127.0.0.1,proxy.example,10.0.0.0/33' })).toThrow(/'proxy.example', '10.0.0.0\/33'/);
    expect(() => loadAuthConfig({ ...base, EM_AUTH_TRUST_PROXY: '127.0.0.1,' })).toThrow(ConfigError);
  });

  it('when the config is described for the log, then the database password is masked', () => {
    expect(JSON.stringify(describeConfig(loadAuthConfig(base)))).not.toContain('secret');
  });
});
