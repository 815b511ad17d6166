// Which address the per-address limits count: X-Forwarded-For only from a configured proxy, and
// an IPv6 client's /64 — against a real PostgreSQL.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestService, type TestService } from './auth-test-service.js';

let t: TestService;
beforeAll(async () => {
  t = await startTestService('auth_client_address', { EM_AUTH_TRUST_PROXY: '127.0.0.1' });
});
afterAll(async () => t?.close());

async function failedLoginCountedAs(remoteAddress: string, forwardedFor: string): Promise<string[]> {
  await t.service.db.query("DELETE FROM login_failures WHERE throttle_key LIKE 'address:%'");
  const body = { email: 'nobody@example.test', password: 'not the password' };
  const failed = await t.request('POST', '/v1/auth/login', { body, remoteAddress, headers: { 'x-forwarded-for': forwardedFor } });
  expect(failed.statusCode).toBe(401);
  const rows = await t.service.db.query<{ throttle_key: string }>("SELECT throttle_key FROM login_failures WHERE throttle_key LIKE 'address:%'");
  return rows.map((r) => r.throttle_key);
}

describe('client address', () => {
  it('when a peer that is not the trusted proxy sends X-Forwarded-For, then its own address is counted', async () => {
    expect(await failedLoginCountedAs('203.0.113.9', '10.0.0.1')).toEqual(['address:203.0.113.9']);
  });

  it('when the trusted proxy forwards, then the address it names is counted, not what the client put before it', async () => {
    expect(await failedLoginCountedAs('127.0.0.1', '10.0.0.1, 198.51.100.7')).toEqual(['address:198.51.100.7']);
  });

  it('when an IPv6 client fails from another address of its /64, then the same per-address count grows', async () => {
    expect(await failedLoginCountedAs('127.0.0.1', '2001:db8:1:2::a')).toEqual(['address:2001:db8:1:2::/64']);
    const again = await t.request('POST', '/v1/auth/login', { body: { email: 'nobody@example.test', password: 'not the password' }, remoteAddress: '2001:db8:1:2:ffff::b' });
    expect(again.statusCode).toBe(401);
    const rows = await t.service.db.query<{ n: number }>("SELECT count(*)::int AS n FROM login_failures WHERE throttle_key = 'address:2001:db8:1:2::/64'");
    expect(rows[0]?.n).toBe(2);
  });
});
