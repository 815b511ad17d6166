// Households, members, invitations and agents: who may do what, hostile input, validation.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestService, type TestService, type TestUser } from './auth-test-service.js';

let t: TestService;
let owner: TestUser;
let member: TestUser;
let outsider: TestUser;
let householdId: string;
let agentId: string;

async function createHousehold(user: TestUser, body: Record<string, unknown> = { name: 'Home' }): Promise<string> {
  const response = await t.request('POST', '/v1/households', { headers: user.auth, body });
  expect(response.statusCode).toBe(201);
  return response.json<{ id: string }>().id;
}

async function invite(by: TestUser, household: string, email: string): Promise<string> {
  const response = await t.request('POST', `/v1/households/${household}/invitations`, { headers: by.auth, body: { email } });
  expect(response.statusCode).toBe(201);
  return response.json<{ token: string }>().token;
}

beforeAll(async () => {
  t = await startTestService('auth_households');
  [owner, member, outsider] = [await t.newUser('owner'), await t.newUser('member'), await t.newUser('outsider')];
  householdId = await createHousehold(owner);
  const token = await invite(owner, householdId, member.email);
  expect((await t.request('POST', '/v1/invitations/accept', { headers: member.auth, body: { token } })).statusCode).toBe(200);
  agentId = (await t.request('POST', `/v1/households/${householdId}/agents`, { headers: owner.auth, body: { name: 'pi' } })).json<{ agentId: string }>().agentId;
});
afterAll(async () => t?.close());

type Endpoint = readonly [method: string, path: () => string, body: unknown, need: 'member' | 'owner'];
const tariff = { kind: 'flat', currency: 'EUR', pricePerKwh: 0.25 };
const ENDPOINTS: readonly Endpoint[] = [
  ['GET', () => `/v1/households/${householdId}`, undefined, 'member'],
  ['PATCH', () => `/v1/households/${householdId}`, { name: 'Renamed' }, 'owner'],
  ['PUT', () => `/v1/households/${householdId}/tariff`, tariff, 'owner'],
  ['GET', () => `/v1/households/${householdId}/members`, undefined, 'member'],
  ['POST', () => `/v1/households/${householdId}/invitations`, { email: 'someone@example.test' }, 'owner'],
  ['GET', () => `/v1/households/${householdId}/invitations`, undefined, 'owner'],
  ['DELETE', () => `/v1/households/${householdId}/invitations/00000000-0000-4000-8000-000000000000`, undefined, 'owner'],
  ['DELETE', () => `/v1/households/${householdId}/members/${owner.userId}`, undefined, 'owner'],
  ['POST', () => `/v1/households/${householdId}/agents`, { name: 'x' }, 'owner'],
  ['GET', () => `/v1/households/${householdId}/agents`, undefined, 'member'],
  ['POST', () => `/v1/households/${householdId}/agents/${agentId}/rotate`, undefined, 'owner'],
  ['DELETE', () => `/v1/households/${householdId}/agents/${agentId}`, undefined, 'owner'],
];

describe('authorisation at every household and agent endpoint', () => {
  it.each(ENDPOINTS)('when a non-member calls %s %s, then 403 forbidden', async (method, path, body) => {
    const response = await t.request(method, path(), { headers: outsider.auth, body });
    expect(response.statusCode).toBe(403);
    expect(response.json()).toMatchObject({ error: 'forbidden' });
  });

  it.each(ENDPOINTS.filter((e) => e[3] === 'owner'))('when a member calls the owner-only %s %s, then 403 forbidden', async (method, path, body) => {
    const response = await t.request(method, path(), { headers: member.auth, body });
    expect(response.statusCode).toBe(403);
  });

  it.each(ENDPOINTS)('when nobody is authenticated at %s %s, then 401', async (method, path, body) => {
    expect((await t.request(method, path(), { body })).statusCode).toBe(401);
  });

  it('when a non-member asks for a household that does not exist, then 403 as for one that does (no existence oracle)', async () => {
    expect((await t.request('GET', '/v1/households/no-such-household', { headers: outsider.auth })).statusCode).toBe(403);
  });

  it('when a member reads, then household, members and agents are visible with their role', async () => {
    expect((await t.request('GET', `/v1/households/${householdId}`, { headers: member.auth })).json()).toMatchObject({ id: householdId, role: 'member' });
    const members = (await t.request('GET', `/v1/households/${householdId}/members`, { headers: member.auth })).json<{ members: Array<{ role: string }> }>();
    expect(members.members.map((m) => m.role).sort()).toEqual(['member', 'owner']);
    expect((await t.request('GET', `/v1/households/${householdId}/agents`, { headers: member.auth })).statusCode).toBe(200);
  });

  it('when an admin who is no member reads or acts, then it is allowed (operator)', async () => {
    const admin = await t.newUser('admin');
    await t.service.db.query("UPDATE users SET role = 'admin' WHERE subject = $1", [admin.subject]);
    expect((await t.request('GET', `/v1/households/${householdId}/agents`, { headers: admin.auth })).statusCode).toBe(200);
    expect((await t.request('GET', '/v1/households/no-such-household', { headers: admin.auth })).statusCode).toBe(404);
    const all = (await t.request('GET', '/v1/households?all=true', { headers: admin.auth })).json<{ households: Array<{ id: string }> }>();
    expect(all.households.map((h) => h.id)).toContain(householdId);
    expect((await t.request('GET', '/v1/households?all=true', { headers: owner.auth })).statusCode).toBe(403);
  });
});

describe('households', () => {
  it('when the creator lists households, then the new one is there with role owner; others do not see it', async () => {
    const id = await createHousehold(owner, { name: 'Cabin', timeZone: 'Europe/Berlin' });
    const mine = (await t.request('GET', '/v1/households', { headers: owner.auth })).json<{ households: Array<{ id: string; role: string; timeZone: string }> }>();
    expect(mine.households.find((h) => h.id === id)).toMatchObject({ role: 'owner', timeZone: 'Europe/Berlin' });
    const theirs = (await t.request('GET', '/v1/households', { headers: outsider.auth })).json<{ households: unknown[] }>();
    expect(theirs.households).toEqual([]);
  });

  it('when the owner sets a time-of-use tariff and a time zone, then both are stored; an unknown zone is 400 naming timeZone', async () => {
    const id = await createHousehold(owner);
    const tou = { kind: 'time-of-use', currency: 'EUR', defaultPricePerKwh: 0.3, bands: [{ from: '22:00', to: '06:00', pricePerKwh: 0.2 }] };
    expect((await t.request('PUT', `/v1/households/${id}/tariff`, { headers: owner.auth, body: tou })).json()).toMatchObject({ tariff: tou });
    expect((await t.request('PATCH', `/v1/households/${id}`, { headers: owner.auth, body: { timeZone: 'America/New_York' } })).json()).toMatchObject({ timeZone: 'America/New_York' });
    const bad = await t.request('PATCH', `/v1/households/${id}`, { headers: owner.auth, body: { timeZone: 'Mars/Olympus_Mons' } });
    expect(bad.statusCode).toBe(400);
    expect(bad.json<{ message: string }>().message).toContain('timeZone');
  });
});

describe('members and invitations', () => {
  it('when an invitation is accepted by someone with another email, then it is refused; by the invitee, then they become a member once', async () => {
    const id = await createHousehold(owner);
    const invitee = await t.newUser('invitee');
    const token = await invite(owner, id, invitee.email.toUpperCase());
    const stolen = await t.request('POST', '/v1/invitations/accept', { headers: outsider.auth, body: { token } });
    expect(stolen.json()).toMatchObject({ error: 'invitation-invalid' });
    expect((await t.request('POST', '/v1/invitations/accept', { headers: invitee.auth, body: { token } })).statusCode).toBe(200);
    expect((await t.request('POST', '/v1/invitations/accept', { headers: invitee.auth, body: { token } })).statusCode).toBe(400);
    expect((await t.request('GET', `/v1/households/${id}`, { headers: invitee.auth })).statusCode).toBe(200);
  });

  it('when the owner withdraws an invitation, then it is no longer listed and cannot be accepted', async () => {
    const id = await createHousehold(owner);
    const invitee = await t.newUser('withdrawn');
    const created = await t.request('POST', `/v1/households/${id}/invitations`, { headers: owner.auth, body: { email: invitee.email } });
    const { id: invitationId, token } = created.json<{ id: string; token: string }>();
    expect((await t.request('DELETE', `/v1/households/${id}/invitations/${invitationId}`, { headers: owner.auth })).statusCode).toBe(204);
    const open = (await t.request('GET', `/v1/households/${id}/invitations`, { headers: owner.auth })).json<{ invitations: unknown[] }>();
    expect(open.invitations).toEqual([]);
    expect((await t.request('POST', '/v1/invitations/accept', { headers: invitee.auth, body: { token } })).statusCode).toBe(400);
  });

  it('when the same address is invited again, then the new invitation replaces the open one: one listed, only the new token works', async () => {
    const id = await createHousehold(owner);
    const invitee = await t.newUser('reinvited');
    const first = await invite(owner, id, invitee.email);
    const second = await invite(owner, id, ` ${invitee.email.toUpperCase()} `); // the same address, written otherwise
    const open = (await t.request('GET', `/v1/households/${id}/invitations`, { headers: owner.auth })).json<{ invitations: unknown[] }>();
    expect(open.invitations).toHaveLength(1);
    expect((await t.request('POST', '/v1/invitations/accept', { headers: invitee.auth, body: { token: first } })).statusCode).toBe(400);
    expect((await t.request('POST', '/v1/invitations/accept', { headers: invitee.auth, body: { token: second } })).statusCode).toBe(200);
  });

  it('when a member leaves or is removed, then access ends; the last owner cannot leave', async () => {
    const id = await createHousehold(owner);
    const a = await t.newUser('leaver');
    const b = await t.newUser('removed');
    for (const u of [a, b]) await t.request('POST', '/v1/invitations/accept', { headers: u.auth, body: { token: await invite(owner, id, u.email) } });
    expect((await t.request('DELETE', `/v1/households/${id}/members/${b.userId}`, { headers: a.auth })).statusCode).toBe(403);
    expect((await t.request('DELETE', `/v1/households/${id}/members/${a.userId}`, { headers: a.auth })).statusCode).toBe(204);
    expect((await t.request('DELETE', `/v1/households/${id}/members/${b.userId}`, { headers: owner.auth })).statusCode).toBe(204);
    expect((await t.request('GET', `/v1/households/${id}`, { headers: b.auth })).statusCode).toBe(403);
    const last = await t.request('DELETE', `/v1/households/${id}/members/${owner.userId}`, { headers: owner.auth });
    expect(last.json()).toMatchObject({ error: 'last-owner' });
  });
});

describe('hostile and invalid input', () => {
  const INJECTIONS = ["'; DROP TABLE users; --", '" OR 1=1 --', "Robert'); DELETE FROM households; --"];

  it.each(INJECTIONS)('when text fields carry %j, then it is stored verbatim and every table survives', async (evil) => {
    const email = `o'drop--${Math.random().toString(36).slice(2, 8)}@example.test`;
    expect((await t.request('POST', '/v1/auth/register', { body: { email, password: `${evil} long enough`, displayName: evil } })).statusCode).toBe(202);
    const tokens = (await t.login(email, `${evil} long enough`)).json<{ access_token: string }>();
    const auth = { authorization: `Bearer ${tokens.access_token}` };
    expect((await t.request('GET', '/v1/me', { headers: auth })).json()).toMatchObject({ displayName: evil, email });
    const household = await t.request('POST', '/v1/households', { headers: auth, body: { name: evil } });
    const id = household.json<{ id: string; name: string }>().id;
    expect(household.json()).toMatchObject({ name: evil });
    const agent = await t.request('POST', `/v1/households/${id}/agents`, { headers: auth, body: { name: evil } });
    expect(agent.json()).toMatchObject({ name: evil });
    const invitation = await t.request('POST', `/v1/households/${id}/invitations`, { headers: auth, body: { email: `x'or--${evil.length}@example.test` } });
    expect(invitation.statusCode).toBe(201);
    const survived = await t.service.db.query<{ n: number }>('SELECT (SELECT count(*) FROM users)::int + (SELECT count(*) FROM households)::int AS n');
    expect(survived[0]?.n).toBeGreaterThan(2);
  });

  it('when the body exceeds 16 KiB, then 413 body-too-large', async () => {
    const response = await t.request('POST', '/v1/households', { headers: owner.auth, body: { name: 'x'.repeat(17 * 1024) } });
    expect(response.statusCode).toBe(413);
    expect(response.json()).toMatchObject({ error: 'body-too-large' });
  });

  it.each(['/v1/auth/login', '/v1/households'])('when POST %s gets a JSON body as text/plain, then 415 unsupported-media-type, as the README says', async (url) => {
    const body = { email: 'a@example.test', password: 'long enough password', name: 'Home' };
    const response = await t.request('POST', url, { headers: { ...owner.auth, 'content-type': 'text/plain' }, body });
    expect(response.statusCode, response.body).toBe(415);
    expect(response.json()).toMatchObject({ error: 'unsupported-media-type' });
  });

  const INVALID: Array<[string, string, unknown, string]> = [
    ['/v1/auth/register', 'POST', { email: 'not-an-email', password: 'long enough password' }, 'email'],
    ['/v1/auth/register', 'POST', { email: 'ok@example.test', password: 'short' }, 'password'],
    ['/v1/households', 'POST', { name: '' }, 'name'],
    ['/v1/households', 'POST', { name: 'ok', tariff: { kind: 'flat', currency: 'euro', pricePerKwh: 0.3 } }, 'tariff.currency'],
  ];
  it.each(INVALID)('when %s %s gets an invalid field, then 400 invalid-request naming %4$s', async (url, method, body, field) => {
    const response = await t.request(method, url, { headers: owner.auth, body });
    expect(response.statusCode).toBe(400);
    const json = response.json<{ error: string; details: Array<{ path: string }> }>();
    expect(json.error).toBe('invalid-request');
    expect(json.details.map((d) => d.path)).toContain(field);
  });

  it('when a path id is not topic-safe, then 400 naming householdId', async () => {
    const response = await t.request('GET', '/v1/households/bad%20id', { headers: owner.auth });
    expect(response.statusCode).toBe(400);
    expect(response.json<{ message: string }>().message).toContain('householdId');
  });
});
