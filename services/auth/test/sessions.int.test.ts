// Register, login, refresh rotation and reuse detection, me, password change, no enumeration,
// brute-force throttling — against a real PostgreSQL.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { silentLogger } from '../../../lib/log.js';
import { createAuthService } from '../app.js';
import { startTestService, TEST_PASSWORD, testConfig, type TestService } from './auth-test-service.js';

let t: TestService;
beforeAll(async () => {
  t = await startTestService('auth_sessions');
});
afterAll(async () => t?.close());

const auditCount = async (event: string): Promise<number> => {
  const rows = await t.service.db.query<{ n: number }>('SELECT count(*)::int AS n FROM audit_log WHERE event = $1', [event]);
  return rows[0]?.n ?? 0;
};

describe('sessions', () => {
  it('when a user registers and logs in, then the access token opens /v1/me and the pair is RFC 6749 shaped', async () => {
    const registered = await t.request('POST', '/v1/auth/register', { body: { email: '  Ada@Example.TEST ', password: TEST_PASSWORD, displayName: 'Ada' } });
    expect(registered.statusCode).toBe(202);
    const login = await t.login('ada@example.test');
    expect(login.statusCode).toBe(200);
    expect(login.headers['cache-control']).toBe('no-store');
    const pair = login.json<{ access_token: string; token_type: string; expires_in: number; refresh_token: string }>();
    expect(pair).toMatchObject({ token_type: 'Bearer', expires_in: 600 });
    const me = await t.request('GET', '/v1/me', { headers: { authorization: `Bearer ${pair.access_token}` } });
    expect(me.statusCode).toBe(200);
    expect(me.json()).toMatchObject({ email: 'Ada@Example.TEST', displayName: 'Ada', role: 'user' });
    expect(await auditCount('register')).toBeGreaterThanOrEqual(1);
    expect(await auditCount('login-success')).toBeGreaterThanOrEqual(1);
  });

  it('when a refresh token is used, then it rotates; when the old one is presented again, then the whole family is revoked and audited', async () => {
    const user = await t.newUser('rotate');
    const first = await t.request('POST', '/v1/auth/refresh', { body: { refresh_token: user.refreshToken } });
    expect(first.statusCode).toBe(200);
    const second = first.json<{ refresh_token: string; access_token: string }>();
    expect(second.refresh_token).not.toBe(user.refreshToken);

    const reuse = await t.request('POST', '/v1/auth/refresh', { body: { refresh_token: user.refreshToken } });
    expect(reuse.statusCode).toBe(401);
    expect(reuse.json()).toMatchObject({ error: 'token-reuse-detected' });
    // The legitimate holder's newer token is revoked too: the family is gone.
    const newer = await t.request('POST', '/v1/auth/refresh', { body: { refresh_token: second.refresh_token } });
    expect(newer.statusCode).toBe(401);
    expect(newer.json()).toMatchObject({ error: 'invalid-refresh-token' });
    expect(await auditCount('refresh-reuse-detected')).toBe(1);
    await expect(t.service.metrics.refreshReuse.get()).resolves.toMatchObject({ values: [{ value: 1 }] });
  });

  it('when refresh tokens are stored, then only their SHA-256 is in the database', async () => {
    const user = await t.newUser('hashed');
    const rows = await t.service.db.query<{ n: number }>("SELECT count(*)::int AS n FROM refresh_tokens WHERE token_hash = sha256(convert_to($1, 'UTF8'))", [user.refreshToken]);
    expect(rows[0]?.n).toBe(1);
    const plain = await t.service.db.query<{ n: number }>("SELECT count(*)::int AS n FROM refresh_tokens WHERE encode(token_hash, 'escape') LIKE '%' || $1 || '%'", [user.refreshToken]);
    expect(plain[0]?.n).toBe(0);
  });

  it('when a user logs out, then the refresh token stops working and logout is audited', async () => {
    const user = await t.newUser('logout');
    expect((await t.request('POST', '/v1/auth/logout', { body: { refresh_token: user.refreshToken } })).statusCode).toBe(204);
    const after = await t.request('POST', '/v1/auth/refresh', { body: { refresh_token: user.refreshToken } });
    expect(after.statusCode).toBe(401);
    expect(await auditCount('logout')).toBeGreaterThanOrEqual(1);
  });

  it('when the password changes, then other sessions end, this one stays, and the new password works', async () => {
    const user = await t.newUser('change');
    const other = (await t.login(user.email)).json<{ refresh_token: string }>();
    const wrong = await t.request('POST', '/v1/me/password', { headers: user.auth, body: { currentPassword: 'not my password!', newPassword: 'a brand new passphrase' } });
    expect(wrong.statusCode).toBe(401);
    const changed = await t.request('POST', '/v1/me/password', { headers: user.auth, body: { currentPassword: TEST_PASSWORD, newPassword: 'a brand new passphrase' } });
    expect(changed.statusCode).toBe(204);
    expect((await t.request('POST', '/v1/auth/refresh', { body: { refresh_token: other.refresh_token } })).statusCode).toBe(401);
    expect((await t.request('POST', '/v1/auth/refresh', { body: { refresh_token: user.refreshToken } })).statusCode).toBe(200);
    expect((await t.login(user.email)).statusCode).toBe(401);
    expect((await t.login(user.email, 'a brand new passphrase')).statusCode).toBe(200);
    expect(await auditCount('password-changed')).toBe(1);
  });
});

describe('password hashes', () => {
  it('when the Argon2 parameters were raised, then the next login re-hashes the password with them and keeps it valid', async () => {
    const user = await t.newUser('rehash');
    const stronger = await createAuthService(testConfig(t.databaseUrl, { EM_AUTH_ARGON2_MEMORY_KIB: '24576' }), { log: silentLogger() });
    await stronger.start();
    try {
      const login = await stronger.app.inject({ method: 'POST', url: '/v1/auth/login', payload: { email: user.email, password: TEST_PASSWORD } });
      expect(login.statusCode).toBe(200);
    } finally {
      await stronger.stop();
    }
    const rows = await t.service.db.query<{ password_hash: string }>('SELECT password_hash FROM users WHERE subject = $1', [user.subject]);
    expect(rows[0]?.password_hash).toMatch(/^\$argon2id\$v=19\$m=24576,/);
    expect((await t.login(user.email)).statusCode).toBe(200);
  });
});

describe('no user enumeration', () => {
  it('when the email is unknown or the password wrong, then status and body are identical', async () => {
    const user = await t.newUser('enum');
    const unknown = await t.login('nobody-here@example.test', 'whatever password');
    const wrong = await t.login(user.email, 'whatever password');
    expect(unknown.statusCode).toBe(401);
    expect(wrong.statusCode).toBe(401);
    expect(unknown.json()).toEqual(wrong.json());
    expect(Object.keys(unknown.headers).sort()).toEqual(Object.keys(wrong.headers).sort());
  });

  it('when an existing email registers again, then the answer equals a new registration and the password is unchanged', async () => {
    const user = await t.newUser('again');
    const fresh = await t.request('POST', '/v1/auth/register', { body: { email: 'fresh-one@example.test', password: TEST_PASSWORD } });
    const again = await t.request('POST', '/v1/auth/register', { body: { email: user.email.toUpperCase(), password: 'an attacker password' } });
    expect(again.statusCode).toBe(fresh.statusCode);
    expect(again.json()).toEqual(fresh.json());
    expect((await t.login(user.email)).statusCode).toBe(200);
    expect(await auditCount('register-existing-email')).toBe(1);
  });
});

describe('login throttling', () => {
  it('when an account has 100 failures in an hour, then the 101st attempt gets 429 with Retry-After, even with the right password', async () => {
    const user = await t.newUser('brute');
    // A different client address for each guess: the per-account limit (ASVS V2.2.1) is what trips.
    for (let i = 0; i < 100; i += 1) {
      const failed = await t.request('POST', '/v1/auth/login', { body: { email: user.email, password: `guess number ${i}` }, remoteAddress: `10.1.0.${i}` });
      expect(failed.statusCode).toBe(401);
    }
    const throttled = await t.login(user.email, 'guess number 101');
    expect(throttled.statusCode).toBe(429);
    expect(throttled.json()).toMatchObject({ error: 'throttled' });
    expect(Number(throttled.headers['retry-after'])).toBeGreaterThan(3000);
    const right = await t.login(user.email);
    expect(right.statusCode).toBe(429);
    expect(await auditCount('login-throttled')).toBeGreaterThanOrEqual(2);
  });

  it('when one client address has 1000 failures within the hour, then its logins get 429 while other addresses still log in', async () => {
    const user = await t.newUser('stuffing');
    await t.service.db.query("INSERT INTO login_failures (throttle_key) SELECT 'address:10.9.9.9' FROM generate_series(1, 1000)");
    const fromStuffer = await t.request('POST', '/v1/auth/login', { body: { email: user.email, password: TEST_PASSWORD }, remoteAddress: '10.9.9.9' });
    expect(fromStuffer.statusCode).toBe(429);
    const fromElsewhere = await t.request('POST', '/v1/auth/login', { body: { email: user.email, password: TEST_PASSWORD }, remoteAddress: '10.9.9.10' });
    expect(fromElsewhere.statusCode).toBe(200);
  });

  it('when the current password is guessed wrong 100 times on password change, then the change is throttled too', async () => {
    const user = await t.newUser('stolen-token');
    await t.service.db.query(
      "INSERT INTO login_failures (throttle_key) SELECT 'account:' || encode(sha256(convert_to($1, 'UTF8')), 'hex') FROM generate_series(1, 99)",
      [user.email],
    );
    const body = { currentPassword: 'a wrong guess!!', newPassword: 'attacker passphrase' };
    expect((await t.request('POST', '/v1/me/password', { headers: user.auth, body })).statusCode).toBe(401);
    const throttled = await t.request('POST', '/v1/me/password', { headers: user.auth, body: { ...body, currentPassword: TEST_PASSWORD } });
    expect(throttled.statusCode).toBe(429);
  });

  it('when one address has registered 20 accounts within the hour, then its next registration gets 429', async () => {
    const limited = await createAuthService(testConfig(t.databaseUrl, { EM_AUTH_REGISTER_MAX_PER_ADDRESS: '20' }), { log: silentLogger() });
    try {
      await t.service.db.query("INSERT INTO login_failures (throttle_key) SELECT 'register:10.7.7.7' FROM generate_series(1, 20)");
      const body = { email: 'one-too-many@example.test', password: TEST_PASSWORD };
      const refused = await limited.app.inject({ method: 'POST', url: '/v1/auth/register', payload: body, remoteAddress: '10.7.7.7' });
      expect(refused.statusCode).toBe(429);
      expect(refused.headers['retry-after']).toBeDefined();
      const elsewhere = await limited.app.inject({ method: 'POST', url: '/v1/auth/register', payload: body, remoteAddress: '10.7.7.8' });
      expect(elsewhere.statusCode).toBe(202);
    } finally {
      await limited.stop();
    }
  });

  it('when an hour has passed since the failures, then login works again', async () => {
    const user = await t.newUser('expired-failures');
    await t.service.db.query(
      "INSERT INTO login_failures (throttle_key, at) SELECT 'account:' || encode(sha256(convert_to($1, 'UTF8')), 'hex'), now() - interval '61 minutes' FROM generate_series(1, 150)",
      [user.email],
    );
    expect((await t.login(user.email)).statusCode).toBe(200);
  });
});
