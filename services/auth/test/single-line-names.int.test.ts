// Names other members see (display, household and agent names) are one line that shows what it
// says: control characters (BEL, newline, tab, C1) and bidirectional embedding, override and
// isolate characters are refused as 400 invalid-request naming the field; accents, CJK and emoji
// are stored as typed. Against a real PostgreSQL.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SINGLE_LINE_NAME_MESSAGE } from '../../../lib/http/storable-text.js';
import { startTestService, TEST_PASSWORD, type TestService, type TestUser } from './auth-test-service.js';

let t: TestService;
let owner: TestUser;
let householdId: string;
beforeAll(async () => {
  t = await startTestService('auth_single_line_names');
  owner = await t.newUser('owner');
  householdId = (await t.request('POST', '/v1/households', { headers: owner.auth, body: { name: 'Home' } })).json<{ id: string }>().id;
});
afterAll(async () => t?.close());

async function expectRefused(method: string, url: string, body: unknown, field: string, headers: Record<string, string> = {}): Promise<void> {
  const response = await t.request(method, url, { body, headers });
  expect(response.statusCode, response.body).toBe(400);
  expect(response.json()).toMatchObject({ error: 'invalid-request', message: `body.${field}: ${SINGLE_LINE_NAME_MESSAGE}` });
}

const refused: Array<[string, string]> = [
  ['BEL', 'Ann\u0007B'],
  ['a newline inside', 'Ann\nAdmin'],
  ['a tab inside', 'Ann\tB'],
  ['a C1 control (NEL)', 'Ann\u0085B'],
  ['a right-to-left override', 'Ann\u202Enimda'],
  ['a left-to-right isolate', 'Ann\u2066B\u2069'],
];

describe('names other members see', () => {
  it.each(refused)('when a display name holds %s, then registration is 400 naming displayName and no account is made', async (_what, name) => {
    const email = `named-${Math.random().toString(36).slice(2, 10)}@example.test`;
    await expectRefused('POST', '/v1/auth/register', { email, password: TEST_PASSWORD, displayName: name }, 'displayName');
    expect((await t.login(email)).statusCode).toBe(401);
  });

  it.each(refused)('when a household or agent name holds %s, then 400 names the field and nothing changes', async (_what, name) => {
    await expectRefused('POST', '/v1/households', { name }, 'name', owner.auth);
    await expectRefused('PATCH', `/v1/households/${householdId}`, { name }, 'name', owner.auth);
    await expectRefused('POST', `/v1/households/${householdId}/agents`, { name }, 'name', owner.auth);
    expect((await t.request('GET', `/v1/households/${householdId}`, { headers: owner.auth })).json()).toMatchObject({ name: 'Home' });
  });

  it.each([
    ['accents', 'Zoë Ångström'],
    ['CJK', '山田の家'],
    ['an emoji sequence', 'Family \u{1F468}\u200D\u{1F469}\u200D\u{1F467}'],
    ['Arabic with a right-to-left mark', 'بيت\u200F 2'],
  ])('when a name holds %s, then it is stored as typed', async (_what, name) => {
    const created = await t.request('POST', '/v1/households', { headers: owner.auth, body: { name } });
    expect(created.statusCode, created.body).toBe(201);
    expect(created.json()).toMatchObject({ name });
    const agent = await t.request('POST', `/v1/households/${householdId}/agents`, { headers: owner.auth, body: { name } });
    expect(agent.statusCode, agent.body).toBe(201);
    expect(agent.json()).toMatchObject({ name });
    const email = `named-${Math.random().toString(36).slice(2, 10)}@example.test`;
    expect((await t.request('POST', '/v1/auth/register', { body: { email, password: TEST_PASSWORD, displayName: name } })).statusCode).toBe(202);
    const token = (await t.login(email)).json<{ access_token: string }>().access_token;
    expect((await t.request('GET', '/v1/me', { headers: { authorization: `Bearer ${token}` } })).json()).toMatchObject({ displayName: name });
  });
});
