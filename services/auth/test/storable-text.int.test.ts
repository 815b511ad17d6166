// Text PostgreSQL cannot store (U+0000; an unpaired surrogate, which JSON.parse lets through) is
// refused as 400 invalid-request naming the field, before any Argon2 work or throttle record —
// it was a 500 from PostgreSQL, on login even without an account — against a real PostgreSQL.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestService, TEST_PASSWORD, type TestService, type TestUser } from './auth-test-service.js';

let t: TestService;
let owner: TestUser;
let householdId: string;
beforeAll(async () => {
  t = await startTestService('auth_storable_text');
  owner = await t.newUser('owner');
  householdId = (await t.request('POST', '/v1/households', { headers: owner.auth, body: { name: 'Home' } })).json<{ id: string }>().id;
});
afterAll(async () => t?.close());

const count = async (sql: string): Promise<number> => (await t.service.db.query<{ n: number }>(sql))[0]?.n ?? 0;

async function expectRefused(method: string, url: string, body: unknown, field: string, headers: Record<string, string> = {}): Promise<void> {
  const response = await t.request(method, url, { body, headers, remoteAddress: '10.5.0.1' });
  expect(response.statusCode, response.body).toBe(400);
  expect(response.json<{ error: string; message: string }>()).toMatchObject({ error: 'invalid-request' });
  expect(response.json<{ message: string }>().message).toContain(`body.${field}`);
}

describe('text PostgreSQL cannot store', () => {
  it.each([
    ['U+0000', 'a\u0000@example.test'],
    ['an unpaired surrogate', 'a\ud800@example.test'],
  ])('when a login email holds %s, then 400 names the field and nothing is counted or audited', async (_what, email) => {
    const failuresBefore = await count('SELECT count(*)::int AS n FROM login_failures');
    const auditBefore = await count('SELECT count(*)::int AS n FROM audit_log');
    await expectRefused('POST', '/v1/auth/login', { email, password: 'whatever whatever' }, 'email');
    expect(await count('SELECT count(*)::int AS n FROM login_failures')).toBe(failuresBefore);
    expect(await count('SELECT count(*)::int AS n FROM audit_log')).toBe(auditBefore);
  });

  it('when a registration display name holds U+0000, then 400 names it and no registration is counted', async () => {
    await expectRefused('POST', '/v1/auth/register', { email: 'nul-name@example.test', password: TEST_PASSWORD, displayName: 'x\u0000y' }, 'displayName');
    await expectRefused('POST', '/v1/auth/register', { email: 'lone-name@example.test', password: TEST_PASSWORD, displayName: 'x\udc00y' }, 'displayName');
    expect(await count("SELECT count(*)::int AS n FROM login_failures WHERE throttle_key = 'register:10.5.0.1'")).toBe(0);
  });

  it.each([
    ['U+0000', 'a\u0000b'],
    ['an unpaired surrogate', 'a\ud800b'],
  ])('when a household or agent name holds %s, then 400 names it', async (_what, name) => {
    await expectRefused('POST', '/v1/households', { name }, 'name', owner.auth);
    await expectRefused('PATCH', `/v1/households/${householdId}`, { name }, 'name', owner.auth);
    await expectRefused('POST', `/v1/households/${householdId}/agents`, { name }, 'name', owner.auth);
  });

  it('when a name holds a surrogate pair (an emoji), then it is stored as it is', async () => {
    const created = await t.request('POST', '/v1/households', { headers: owner.auth, body: { name: 'Home \u{1F3E0}' } });
    expect(created.statusCode).toBe(201);
    expect(created.json()).toMatchObject({ name: 'Home \u{1F3E0}' });
  });
});
