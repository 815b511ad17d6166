// The throttles hold under concurrency (ASVS V2.2.1): an attempt is counted before its password is
// checked, so a burst of parallel guesses gets no more than the limit — against a real PostgreSQL.
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { silentLogger } from '../../../lib/log.js';
import { createAuthService } from '../app.js';
import { startTestService, TEST_PASSWORD, testConfig, type TestService } from './auth-test-service.js';

let t: TestService;
beforeAll(async () => {
  t = await startTestService('auth_throttle_burst');
});
afterAll(async () => t?.close());

function countStatuses(statuses: readonly number[]): Record<number, number> {
  const counts: Record<number, number> = {};
  for (const s of statuses) counts[s] = (counts[s] ?? 0) + 1;
  return counts;
}

describe('throttling under concurrency', () => {
  it('when 130 wrong guesses at a fresh account arrive at once, then at most 100 are checked and the rest get 429', async () => {
    const user = await t.newUser('burst');
    const guesses = Array.from({ length: 130 }, (_, i) =>
      t.request('POST', '/v1/auth/login', { body: { email: user.email, password: `guess number ${i}` }, remoteAddress: `10.2.${i % 250}.1` }),
    );
    const counts = countStatuses((await Promise.all(guesses)).map((r) => r.statusCode));
    expect(counts).toEqual({ 401: 100, 429: 30 });
    expect((await t.login(user.email)).statusCode).toBe(429);
  });

  it('when the right password is given, then its counted attempt is taken back from the address too', async () => {
    const user = await t.newUser('taken-back');
    expect((await t.request('POST', '/v1/auth/login', { body: { email: user.email, password: TEST_PASSWORD }, remoteAddress: '10.3.0.1' })).statusCode).toBe(200);
    const rows = await t.service.db.query<{ n: number }>("SELECT count(*)::int AS n FROM login_failures WHERE throttle_key = 'address:10.3.0.1'");
    expect(rows[0]?.n).toBe(0);
  });

  it('when 30 registrations from one address arrive at once with a limit of 20, then 20 are accepted and 10 get 429', async () => {
    const limited = await createAuthService(testConfig(t.databaseUrl, { EM_AUTH_REGISTER_MAX_PER_ADDRESS: '20' }), { log: silentLogger() });
    try {
      const registrations = Array.from({ length: 30 }, () =>
        limited.app.inject({ method: 'POST', url: '/v1/auth/register', payload: { email: `burst-${randomUUID()}@example.test`, password: TEST_PASSWORD }, remoteAddress: '10.4.0.1' }),
      );
      expect(countStatuses((await Promise.all(registrations)).map((r) => r.statusCode))).toEqual({ 202: 20, 429: 10 });
    } finally {
      await limited.stop();
    }
  });
});
