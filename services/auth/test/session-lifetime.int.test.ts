// The absolute session lifetime (EM_AUTH_SESSION_MAX_AGE_S, 90 days by default; OWASP Session
// Management "Absolute Timeout", RFC 9700 §4.14.2): counted from login, kept through every rotation,
// never extended by a refresh — against a real PostgreSQL. The service reads the time from
// PostgreSQL's clock, so these tests move a session's login time back instead of waiting.
import { runner } from 'node-pg-migrate';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { silentLogger } from '../../../lib/log.js';
import { createAuthService } from '../app.js';
import { sha256 } from '../domain/secrets.js';
import { MIGRATIONS_DIR } from '../migrate.js';
import { createTestDatabase, startTestService, testConfig, type TestService } from './auth-test-service.js';

const DAY_S = 24 * 3600;
const MAX_AGE_S = 90 * DAY_S;

interface Pair {
  refresh_token: string;
  refresh_token_expires_in: number;
}

let t: TestService;
beforeAll(async () => {
  t = await startTestService('auth_session_lifetime');
});
afterAll(async () => t?.close());

const refresh = (token: string) => t.request('POST', '/v1/auth/refresh', { body: { refresh_token: token } });

/** Moves the login of the session that `token` belongs to `ageS` seconds into the past. */
async function sessionBeganAgo(token: string, ageS: number): Promise<void> {
  await t.service.db.query(
    `UPDATE refresh_tokens SET session_started_at = now() - make_interval(secs => $2)
      WHERE family_id = (SELECT family_id FROM refresh_tokens WHERE token_hash = $1)`,
    [sha256(token), ageS],
  );
}

/** Seconds from the session's login to this token's expiry. */
async function expiresAfterLoginS(token: string): Promise<number> {
  const rows = await t.service.db.query<{ s: number }>(
    'SELECT extract(epoch FROM expires_at - session_started_at)::float8 AS s FROM refresh_tokens WHERE token_hash = $1',
    [sha256(token)],
  );
  return rows[0]?.s ?? Number.NaN;
}

describe('absolute session lifetime', () => {
  it('when a session is refreshed, then every token of its family keeps the login time', async () => {
    const user = await t.newUser('keeps-login');
    const first = (await refresh(user.refreshToken)).json<Pair>();
    const second = (await refresh(first.refresh_token)).json<Pair>();
    const rows = await t.service.db.query<{ starts: number; first_started: boolean }>(
      `SELECT count(DISTINCT session_started_at)::int AS starts, min(session_started_at) = min(created_at) AS first_started
         FROM refresh_tokens WHERE family_id = (SELECT family_id FROM refresh_tokens WHERE token_hash = $1)`,
      [sha256(second.refresh_token)],
    );
    expect(rows[0]).toEqual({ starts: 1, first_started: true });
  });

  it('when a regularly refreshed session nears its maximum age, then the new refresh token expires with the session, not 30 days later', async () => {
    const user = await t.newUser('nears-end');
    await sessionBeganAgo(user.refreshToken, MAX_AGE_S - 3600);
    const renewed = await refresh(user.refreshToken);
    expect(renewed.statusCode).toBe(200);
    const pair = renewed.json<Pair>();
    expect(pair.refresh_token_expires_in).toBeGreaterThan(3500);
    expect(pair.refresh_token_expires_in).toBeLessThanOrEqual(3600);
    expect(await expiresAfterLoginS(pair.refresh_token)).toBeCloseTo(MAX_AGE_S, 3);
  });

  it('when a session is older than its maximum age, then refresh answers 401 exactly as for an expired refresh token', async () => {
    const expired = await t.newUser('token-expired');
    await t.service.db.query("UPDATE refresh_tokens SET expires_at = now() - interval '1 second' WHERE token_hash = $1", [sha256(expired.refreshToken)]);
    const expiredAnswer = await refresh(expired.refreshToken);

    const user = await t.newUser('too-old');
    const fresh = (await refresh(user.refreshToken)).json<Pair>();
    await sessionBeganAgo(fresh.refresh_token, MAX_AGE_S + 1);
    const answer = await refresh(fresh.refresh_token);
    expect(answer.statusCode).toBe(401);
    expect(answer.json()).toEqual(expiredAnswer.json());
    expect(answer.json()).toMatchObject({ error: 'invalid-refresh-token' });
    // A new login starts a new session.
    const again = await t.login(user.email);
    expect((await refresh(again.json<Pair>().refresh_token)).statusCode).toBe(200);
  });

  it('when EM_AUTH_SESSION_MAX_AGE_S is shorter than the refresh-token TTL, then login hands out a refresh token that ends with the session', async () => {
    const short = await createAuthService(testConfig(t.databaseUrl, { EM_AUTH_SESSION_MAX_AGE_S: '7200' }), { log: silentLogger() });
    try {
      const user = await t.newUser('short-sessions');
      const login = await short.app.inject({ method: 'POST', url: '/v1/auth/login', payload: { email: user.email, password: 'correct horse battery staple' } });
      expect(login.statusCode).toBe(200);
      const pair = login.json<Pair>();
      expect(pair.refresh_token_expires_in).toBe(7200);
      expect(await expiresAfterLoginS(pair.refresh_token)).toBeCloseTo(7200, 3);
    } finally {
      await short.stop();
    }
  });
});

describe('migration 0003 (session start)', () => {
  it('when sessions existed before it, then each keeps the time of its first token, and one older than the maximum age ends', async () => {
    const databaseUrl = await createTestDatabase('auth_session_start');
    await runner({ databaseUrl, dir: MIGRATIONS_DIR, direction: 'up', count: 2, migrationsTable: 'pgmigrations', log: () => undefined });
    const service = await createAuthService(testConfig(databaseUrl), { log: silentLogger() });
    try {
      const [user] = await service.db.query<{ id: string }>("INSERT INTO users (subject, email, email_normalized) VALUES ('s', 'old@example.test', 'old@example.test') RETURNING id");
      // Two sessions, each a used token and its live successor: one began 100 days ago, one 10.
      for (const [family, loginDaysAgo] of [['00000000-0000-4000-8000-000000000100', 100], ['00000000-0000-4000-8000-000000000010', 10]] as const) {
        await service.db.query(
          `INSERT INTO refresh_tokens (token_hash, family_id, user_id, created_at, expires_at, used_at) VALUES
             ($1, $3, $4, now() - make_interval(days => $5), now() - make_interval(days => $5 - 30), now() - interval '5 days'),
             ($2, $3, $4, now() - interval '5 days', now() + interval '25 days', NULL)`,
          [sha256(`used-${loginDaysAgo}`), sha256(`live-${loginDaysAgo}`), family, user?.id, loginDaysAgo],
        );
      }
      await service.start();
      const started = await service.db.query<{ days: number }>(
        'SELECT DISTINCT round(extract(epoch FROM now() - session_started_at) / 86400)::int AS days FROM refresh_tokens ORDER BY days',
      );
      expect(started.map((r) => r.days)).toEqual([10, 100]);
      const inject = (token: string) => service.app.inject({ method: 'POST', url: '/v1/auth/refresh', payload: { refresh_token: token } });
      expect((await inject('live-100')).statusCode).toBe(401);
      expect((await inject('live-10')).statusCode).toBe(200);
    } finally {
      await service.stop();
    }
  });
});
