import { describe, expect, it } from 'vitest';
import { ConfigError } from '../../lib/config/load-config.js';
import { loadBrokerConfig } from '../config.js';

describe('broker auth config', () => {
  it('when auth is required (the default) and no database URL is set, then loading fails naming the variable', () => {
    expect(() => loadBrokerConfig({})).toThrow(ConfigError);
    expect(() => loadBrokerConfig({})).toThrow(/EM_BROKER_AUTH_DATABASE_URL/);
  });

  it('when auth is disabled, then no database is needed', () => {
    expect(loadBrokerConfig({ EM_BROKER_AUTH: 'disabled' }).auth).toEqual({ mode: 'disabled' });
  });

  it('when an issuer is set, then audience and JWKS URL default from it', () => {
    const { auth } = loadBrokerConfig({ EM_BROKER_AUTH_DATABASE_URL: 'postgres://x/y', EM_BROKER_AUTH_ISSUER: 'https://auth.example/' });
    expect(auth).toMatchObject({
      mode: 'required',
      token: { issuer: 'https://auth.example/', audience: 'energymonitor', jwksUrl: 'https://auth.example/.well-known/jwks.json' },
      cacheTtls: { membershipsMs: 10_000, agentMs: 10_000, refusedAgentMs: 2_000 },
    });
  });

  it('when a cache TTL above 10 s or a poll above 5 s is asked for, then loading fails', () => {
    const base = { EM_BROKER_AUTH_DATABASE_URL: 'postgres://x/y' };
    expect(() => loadBrokerConfig({ ...base, EM_BROKER_AUTH_AGENT_CACHE_MS: '60000' })).toThrow(/EM_BROKER_AUTH_AGENT_CACHE_MS/);
    expect(() => loadBrokerConfig({ ...base, EM_BROKER_AUTH_CREDENTIAL_POLL_MS: '30000' })).toThrow(/EM_BROKER_AUTH_CREDENTIAL_POLL_MS/);
  });

  it('when the failure throttle is not configured, then it allows 20 failures per address a minute; 0 disables it; bad values fail', () => {
    const base = { EM_BROKER_AUTH_DATABASE_URL: 'postgres://x/y' };
    expect(loadBrokerConfig(base).auth).toMatchObject({ failureThrottle: { maxFailuresPerAddress: 20, windowMs: 60_000 } });
    expect(loadBrokerConfig({ ...base, EM_BROKER_AUTH_FAILURES_PER_ADDRESS: '0' }).auth).toMatchObject({ failureThrottle: { maxFailuresPerAddress: 0 } });
    expect(() => loadBrokerConfig({ ...base, EM_BROKER_AUTH_FAILURES_PER_ADDRESS: '-1' })).toThrow(/EM_BROKER_AUTH_FAILURES_PER_ADDRESS/);
    expect(() => loadBrokerConfig({ ...base, EM_BROKER_AUTH_FAILURE_WINDOW_MS: '0' })).toThrow(/EM_BROKER_AUTH_FAILURE_WINDOW_MS/);
    expect(() => loadBrokerConfig({ ...base, EM_BROKER_AUTH_FAILURE_WINDOW_MS: String(25 * 60 * 60 * 1000) })).toThrow(/EM_BROKER_AUTH_FAILURE_WINDOW_MS/);
  });
});
