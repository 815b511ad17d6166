// Internationalised email addresses (RFC 6531) through registration, login and invitations: the
// same address typed composed or decomposed, in capitals, with a U-label or an A-label domain is
// one account, and registration still answers alike for new and taken addresses — against a real
// PostgreSQL.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { STORABLE_TEXT_MESSAGE } from '../../../lib/http/storable-text.js';
import { startTestService, TEST_PASSWORD, type TestService } from './auth-test-service.js';

let t: TestService;
beforeAll(async () => {
  t = await startTestService('auth_email_addresses');
});
afterAll(async () => t?.close());

const register = (email: string) => t.request('POST', '/v1/auth/register', { body: { email, password: TEST_PASSWORD } });
const userCount = async (): Promise<number> => (await t.service.db.query<{ n: number }>('SELECT count(*)::int AS n FROM users'))[0]?.n ?? 0;

async function subjectOf(email: string): Promise<string> {
  const login = await t.login(email);
  expect(login.statusCode, `login as ${JSON.stringify(email)}: ${login.body}`).toBe(200);
  const me = await t.request('GET', '/v1/me', { headers: { authorization: `Bearer ${login.json<{ access_token: string }>().access_token}` } });
  return me.json<{ subject: string }>().subject;
}

describe('internationalised email addresses', () => {
  it('when josé@example.org registers, composed or decomposed (NFD), then it is one account that both forms log in to', async () => {
    const composed = 'josé@example.org';
    const decomposed = composed.normalize('NFD');
    expect(decomposed).not.toBe(composed);
    const before = await userCount();
    const first = await register(composed);
    expect(first.statusCode, first.body).toBe(202);
    const second = await register(decomposed);
    expect(second.statusCode).toBe(202);
    expect(second.json()).toEqual(first.json());
    expect(await userCount()).toBe(before + 1);
    const subject = await subjectOf(composed);
    expect(await subjectOf(decomposed)).toBe(subject);
    expect(await subjectOf('  JOSÉ@Example.ORG ')).toBe(subject);
  });

  it('when user@bücher.example registers, then it is accepted, and its A-label form is the same account', async () => {
    const before = await userCount();
    expect((await register('user@bücher.example')).statusCode).toBe(202);
    expect((await register('user@xn--bcher-kva.example')).statusCode).toBe(202);
    expect(await userCount()).toBe(before + 1);
    expect(await subjectOf('user@xn--bcher-kva.example')).toBe(await subjectOf('user@bücher.example'));
  });

  it.each(['a@', '@b', 'a b@c.d'])('when %j registers, then 400 "Invalid email address" and no account', async (email) => {
    const before = await userCount();
    const refused = await register(email);
    expect(refused.statusCode).toBe(400);
    expect(refused.json()).toMatchObject({ error: 'invalid-request', message: 'body.email: Invalid email address' });
    expect(await userCount()).toBe(before);
  });

  it('when an internationalised address holds U+0000 or an unpaired surrogate, then 400 names the field as before', async () => {
    for (const email of ['jos\u0000é@example.org', 'jos\ud800é@example.org']) {
      const refused = await register(email);
      expect(refused.statusCode).toBe(400);
      expect(refused.json<{ message: string }>().message).toContain(STORABLE_TEXT_MESSAGE);
    }
  });

  it('when an owner invites an address in capitals and the invitee registered it decomposed, then the invitation is theirs', async () => {
    const owner = await t.newUser('owner');
    const householdId = (await t.request('POST', '/v1/households', { headers: owner.auth, body: { name: 'Home' } })).json<{ id: string }>().id;
    expect((await register('zoë@example.org'.normalize('NFD'))).statusCode).toBe(202);
    const invited = await t.request('POST', `/v1/households/${householdId}/invitations`, { headers: owner.auth, body: { email: 'ZOË@EXAMPLE.ORG' } });
    expect(invited.statusCode, invited.body).toBe(201);
    const invitee = (await t.login('zoë@example.org')).json<{ access_token: string }>();
    const accepted = await t.request('POST', '/v1/invitations/accept', {
      headers: { authorization: `Bearer ${invitee.access_token}` },
      body: { token: invited.json<{ token: string }>().token },
    });
    expect(accepted.statusCode, accepted.body).toBe(200);
  });
});
