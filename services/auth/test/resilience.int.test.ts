// PostgreSQL outage and recovery, readiness, metrics, idempotent migrations and demo account.
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parsePostgresUrl, formatPostgresUrl } from '../../../infra/psql.js';
import { silentLogger } from '../../../lib/log.js';
import { startTcpProxy, type TcpProxy } from '../../../test/support/tcp-proxy.js';
import { createAuthService, type AuthService } from '../app.js';
import { DEMO_EMAIL, DEMO_PASSWORD, ensureDemoAccount } from '../demo-account.js';
import { sha256 } from '../domain/secrets.js';
import { migrateAuthDatabase } from '../migrate.js';
import { createTestDatabase, TEST_PASSWORD, testConfig } from './auth-test-service.js';

describe('PostgreSQL outage', () => {
  let proxy: TcpProxy;
  let service: AuthService;
  let metricsPort: number;
  beforeAll(async () => {
    const url = await createTestDatabase('auth_outage');
    const parts = parsePostgresUrl(url);
    proxy = await startTcpProxy(parts.port);
    service = await createAuthService(testConfig(formatPostgresUrl({ ...parts, port: proxy.port })), { log: silentLogger() });
    metricsPort = (await service.start()).metricsPort;
  });
  afterAll(async () => {
    await service?.stop();
    await proxy?.close();
  });

  const register = (email: string) =>
    service.app.inject({ method: 'POST', url: '/v1/auth/register', payload: { email, password: TEST_PASSWORD } });
  const login = (email: string) => service.app.inject({ method: 'POST', url: '/v1/auth/login', payload: { email, password: TEST_PASSWORD } });

  it('when the database goes away, then 503 database-unavailable with Retry-After and /readyz 503; when it returns, then service resumes by itself', async () => {
    expect((await register('outage@example.test')).statusCode).toBe(202);
    const token = (await login('outage@example.test')).json<{ access_token: string }>().access_token;
    expect((await service.app.inject({ method: 'GET', url: '/readyz' })).statusCode).toBe(200);

    await proxy.cut(); // pooled idle connections die now: the pool's 'error' handler must keep the process alive
    const down = await login('outage@example.test');
    expect(down.statusCode).toBe(503);
    expect(down.json()).toMatchObject({ error: 'database-unavailable' });
    expect(down.headers['retry-after']).toBe('5');
    const me = await service.app.inject({ method: 'GET', url: '/v1/me', headers: { authorization: `Bearer ${token}` } });
    expect(me.statusCode).toBe(503);
    expect((await service.app.inject({ method: 'GET', url: '/readyz' })).statusCode).toBe(503);
    expect((await service.app.inject({ method: 'GET', url: '/healthz' })).statusCode).toBe(200);
    // The metrics port tells Prometheus the same.
    expect((await fetch(`http://127.0.0.1:${metricsPort}/readyz`)).status).toBe(503);

    await proxy.restore();
    expect((await service.app.inject({ method: 'GET', url: '/readyz' })).statusCode).toBe(200);
    expect((await login('outage@example.test')).statusCode).toBe(200);
  });

  it('when metrics are scraped, then logins by outcome, registrations, tokens issued and request durations by route and status are there', async () => {
    const text = await (await fetch(`http://127.0.0.1:${metricsPort}/metrics`)).text();
    expect(text).toContain('em_auth_logins_total{outcome="success"');
    expect(text).toContain('em_auth_registrations_total{outcome="created"');
    expect(text).toContain('em_auth_tokens_issued_total{kind="user"');
    expect(text).toContain('em_auth_refresh_reuse_detected_total');
    expect(text).toContain('em_auth_throttled_total');
    expect(text).toMatch(/em_auth_request_duration_seconds_count\{[^}]*route="\/v1\/auth\/login",status="503"/);
  });
});

describe('migrations and the demo account', () => {
  let url: string;
  let pool: pg.Pool;
  beforeAll(async () => {
    url = await createTestDatabase('auth_migrate');
    pool = new pg.Pool({ connectionString: url, max: 2 });
  });
  afterAll(async () => pool?.end());

  it('when migrations run twice, then the second run applies nothing', async () => {
    expect((await migrateAuthDatabase(url)).length).toBeGreaterThanOrEqual(2);
    expect(await migrateAuthDatabase(url)).toEqual([]);
  });

  it('when the demo account is ensured twice, then one user and household exist, the second call returns rotated, working secrets, and its password cannot be changed', async () => {
    const first = await ensureDemoAccount(url, { agents: 2 });
    const second = await ensureDemoAccount(pool, { agents: 2 });
    expect(second.map((a) => a.agentId)).toEqual(first.map((a) => a.agentId));
    expect(second[0]?.secret).not.toBe(first[0]?.secret);
    for (const agent of second) {
      const { rows } = await pool.query<{ secret_hash: Buffer }>('SELECT secret_hash FROM agents WHERE id = $1', [agent.agentId]);
      expect(rows[0]?.secret_hash.equals(sha256(agent.secret))).toBe(true);
    }
    const { rows } = await pool.query<{ users: number; households: number; tz: string }>(
      "SELECT (SELECT count(*) FROM users)::int AS users, (SELECT count(*) FROM households)::int AS households, (SELECT time_zone FROM households LIMIT 1) AS tz",
    );
    expect(rows[0]).toEqual({ users: 1, households: 1, tz: 'Europe/Berlin' });

    const service = await createAuthService(testConfig(url), { log: silentLogger() });
    await service.start();
    try {
      const login = await service.app.inject({ method: 'POST', url: '/v1/auth/login', payload: { email: DEMO_EMAIL, password: DEMO_PASSWORD } });
      expect(login.statusCode).toBe(200);
      // Everyone trying the app shares the demo password: nobody may change it for the others.
      const token = login.json<{ access_token: string }>().access_token;
      const change = await service.app.inject({
        method: 'POST',
        url: '/v1/me/password',
        headers: { authorization: `Bearer ${token}` },
        payload: { currentPassword: DEMO_PASSWORD, newPassword: 'mine now, nobody else' },
      });
      expect(change.statusCode).toBe(403);
      expect(change.json()).toMatchObject({ error: 'forbidden', message: "the demo account's password is shared and cannot be changed" });
      expect((await service.app.inject({ method: 'POST', url: '/v1/auth/login', payload: { email: DEMO_EMAIL, password: DEMO_PASSWORD } })).statusCode).toBe(200);
    } finally {
      await service.stop();
    }
  });
});
