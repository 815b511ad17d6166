// Quotas: households a user owns, active agents and agents registered in 24 hours, members and open
// invitations of a household.
// At the limit the next request is 409 `quota-exceeded` naming the quota and its limit, and
// nothing is written; requests racing at the limit cannot overshoot it (real PostgreSQL).
// Members are checked twice: an invitation holds a member's place, and acceptance checks again,
// since the limit may have been lowered since the invitation was made. `fewerMembers` is that
// lowered limit: a second service on the same database.
import type { LightMyRequestResponse } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestService, startTestServiceOn, type TestService, type TestUser } from './auth-test-service.js';

// Room for the open-invitation tests' members and invitations together; fewerMembers has less.
const LIMITS = { households: 3, agents: 3, agentRegistrationsPerDay: 5, members: 8, invitations: 4, fewerMembers: 3 };

let t: TestService;
let fewerMembers: TestService;
beforeAll(async () => {
  t = await startTestService('auth_quotas', {
    EM_AUTH_MAX_HOUSEHOLDS_PER_USER: String(LIMITS.households),
    EM_AUTH_MAX_AGENTS_PER_HOUSEHOLD: String(LIMITS.agents),
    EM_AUTH_MAX_AGENT_REGISTRATIONS_PER_HOUSEHOLD_PER_DAY: String(LIMITS.agentRegistrationsPerDay),
    EM_AUTH_MAX_MEMBERS_PER_HOUSEHOLD: String(LIMITS.members),
    EM_AUTH_MAX_PENDING_INVITATIONS_PER_HOUSEHOLD: String(LIMITS.invitations),
  });
  fewerMembers = await startTestServiceOn(t.databaseUrl, {
    EM_AUTH_MAX_MEMBERS_PER_HOUSEHOLD: String(LIMITS.fewerMembers),
    EM_AUTH_MAX_PENDING_INVITATIONS_PER_HOUSEHOLD: String(LIMITS.invitations),
  });
});
afterAll(async () => {
  await fewerMembers?.close();
  await t?.close();
});

const count = async (sql: string, params: unknown[] = []): Promise<number> => (await t.service.db.query<{ n: number }>(sql, params))[0]?.n ?? 0;
const auditRows = (): Promise<number> => count('SELECT count(*)::int AS n FROM audit_log');
const refusals = async (quota: string, service: TestService = t): Promise<number> =>
  (await service.service.metrics.quotaRefusals.get()).values.find((v) => v.labels['quota'] === quota)?.value ?? 0;

const createHousehold = (user: TestUser): Promise<LightMyRequestResponse> => t.request('POST', '/v1/households', { headers: user.auth, body: { name: 'Home' } });
const registerAgent = (user: TestUser, householdId: string): Promise<LightMyRequestResponse> =>
  t.request('POST', `/v1/households/${householdId}/agents`, { headers: user.auth, body: { name: 'pi' } });
const invite = (user: TestUser, householdId: string, email: string, service: TestService = t): Promise<LightMyRequestResponse> =>
  service.request('POST', `/v1/households/${householdId}/invitations`, { headers: user.auth, body: { email } });
const accept = (user: TestUser, token: string, service: TestService = t): Promise<LightMyRequestResponse> =>
  service.request('POST', '/v1/invitations/accept', { headers: user.auth, body: { token } });

async function newHousehold(owner: TestUser): Promise<string> {
  const response = await createHousehold(owner);
  expect(response.statusCode, response.body).toBe(201);
  return response.json<{ id: string }>().id;
}

async function inviteToken(owner: TestUser, householdId: string, email: string, service: TestService = t): Promise<string> {
  const response = await invite(owner, householdId, email, service);
  expect(response.statusCode, response.body).toBe(201);
  return response.json<{ token: string }>().token;
}

function expectQuotaExceeded(response: LightMyRequestResponse, quota: string, limit: number): void {
  expect(response.statusCode, response.body).toBe(409);
  expect(response.json()).toMatchObject({ error: 'quota-exceeded', details: [{ quota, limit }] });
  expect(response.json<{ message: string }>().message).toContain(String(limit));
}

const statuses = (responses: readonly LightMyRequestResponse[]): number[] => responses.map((r) => r.statusCode).sort();

describe('households per user', () => {
  it('when a user owns the most households allowed, then the next is refused with quota-exceeded and nothing is written', async () => {
    const owner = await t.newUser('owner');
    for (let i = 0; i < LIMITS.households; i++) await newHousehold(owner);
    const [households, audits, refused] = [await count('SELECT count(*)::int AS n FROM households'), await auditRows(), await refusals('households-per-user')];
    expectQuotaExceeded(await createHousehold(owner), 'households-per-user', LIMITS.households);
    expect(await count('SELECT count(*)::int AS n FROM households')).toBe(households);
    expect(await count("SELECT count(*)::int AS n FROM memberships WHERE user_id = $1 AND role = 'owner'", [owner.userId])).toBe(LIMITS.households);
    expect(await auditRows()).toBe(audits);
    expect(await refusals('households-per-user')).toBe(refused + 1);
  });

  it('when a user is a member (not owner) of other households, then those do not count', async () => {
    const [owner, member] = [await t.newUser('owner'), await t.newUser('member')];
    const householdId = await newHousehold(owner);
    expect((await accept(member, await inviteToken(owner, householdId, member.email))).statusCode).toBe(200);
    for (let i = 0; i < LIMITS.households; i++) await newHousehold(member);
  });

  it('when one user creates households concurrently past the limit, then exactly the limit succeed', async () => {
    const owner = await t.newUser('racer');
    const responses = await Promise.all(Array.from({ length: LIMITS.households + 4 }, () => createHousehold(owner)));
    expect(statuses(responses)).toEqual([...Array<number>(LIMITS.households).fill(201), ...Array<number>(4).fill(409)]);
    expect(await count("SELECT count(*)::int AS n FROM memberships WHERE user_id = $1 AND role = 'owner'", [owner.userId])).toBe(LIMITS.households);
  });
});

describe('agents per household', () => {
  it('when a household has the most active agents allowed, then the next is refused and nothing is written; a revoked agent frees its place', async () => {
    const owner = await t.newUser('owner');
    const householdId = await newHousehold(owner);
    const agentIds: string[] = [];
    for (let i = 0; i < LIMITS.agents; i++) agentIds.push((await registerAgent(owner, householdId)).json<{ agentId: string }>().agentId);
    const [audits, refused] = [await auditRows(), await refusals('agents-per-household')];
    expectQuotaExceeded(await registerAgent(owner, householdId), 'agents-per-household', LIMITS.agents);
    expect(await count('SELECT count(*)::int AS n FROM agents WHERE household_id = $1', [householdId])).toBe(LIMITS.agents);
    expect(await auditRows()).toBe(audits);
    expect(await refusals('agents-per-household')).toBe(refused + 1);

    expect((await t.request('DELETE', `/v1/households/${householdId}/agents/${agentIds[0]}`, { headers: owner.auth })).statusCode).toBe(204);
    expect((await registerAgent(owner, householdId)).statusCode).toBe(201);
    expectQuotaExceeded(await registerAgent(owner, householdId), 'agents-per-household', LIMITS.agents);
  });

  it('when an owner registers agents concurrently past the limit, then exactly the limit succeed', async () => {
    const owner = await t.newUser('owner');
    const householdId = await newHousehold(owner);
    const responses = await Promise.all(Array.from({ length: LIMITS.agents + 5 }, () => registerAgent(owner, householdId)));
    expect(statuses(responses)).toEqual([...Array<number>(LIMITS.agents).fill(201), ...Array<number>(5).fill(409)]);
    expect(await count('SELECT count(*)::int AS n FROM agents WHERE household_id = $1', [householdId])).toBe(LIMITS.agents);
  });

  it('when an admin registers an agent in a full household, then the quota holds for them too', async () => {
    const [owner, admin] = [await t.newUser('owner'), await t.newUser('admin')];
    await t.service.db.query("UPDATE users SET role = 'admin' WHERE id = $1", [admin.userId]);
    const householdId = await newHousehold(owner);
    for (let i = 0; i < LIMITS.agents; i++) expect((await registerAgent(owner, householdId)).statusCode).toBe(201);
    expectQuotaExceeded(await registerAgent(admin, householdId), 'agents-per-household', LIMITS.agents);
  });
});

describe('agent registrations per household in 24 hours', () => {
  const revoke = async (owner: TestUser, householdId: string, agentId: string): Promise<void> => {
    expect((await t.request('DELETE', `/v1/households/${householdId}/agents/${agentId}`, { headers: owner.auth })).statusCode).toBe(204);
  };
  const registerAndRevoke = async (owner: TestUser, householdId: string): Promise<string> => {
    const response = await registerAgent(owner, householdId);
    expect(response.statusCode, response.body).toBe(201);
    const { agentId } = response.json<{ agentId: string }>();
    await revoke(owner, householdId, agentId);
    return agentId;
  };

  it('when an owner registers and revokes agents past the daily limit, then the next is refused and nothing is written; a registration older than 24 hours frees its place', async () => {
    const owner = await t.newUser('churner');
    const householdId = await newHousehold(owner);
    const agentIds: string[] = [];
    for (let i = 0; i < LIMITS.agentRegistrationsPerDay; i++) agentIds.push(await registerAndRevoke(owner, householdId));
    const [audits, refused] = [await auditRows(), await refusals('agent-registrations-per-household-per-day')];
    expectQuotaExceeded(await registerAgent(owner, householdId), 'agent-registrations-per-household-per-day', LIMITS.agentRegistrationsPerDay);
    expect(await count('SELECT count(*)::int AS n FROM agents WHERE household_id = $1', [householdId])).toBe(LIMITS.agentRegistrationsPerDay);
    expect(await auditRows()).toBe(audits);
    expect(await refusals('agent-registrations-per-household-per-day')).toBe(refused + 1);

    // The window is the database's now() minus 24 h: a registration made 24 h and a second ago is out of it.
    await t.service.db.query("UPDATE agents SET created_at = now() - interval '24 hours 1 second' WHERE id = $1", [agentIds[0]]);
    expect((await registerAgent(owner, householdId)).statusCode).toBe(201);
    expectQuotaExceeded(await registerAgent(owner, householdId), 'agent-registrations-per-household-per-day', LIMITS.agentRegistrationsPerDay);
  });

  it('when an owner registers agents concurrently past the daily limit, then exactly the limit are registered', async () => {
    const owner = await t.newUser('owner');
    const householdId = await newHousehold(owner);
    const churned = LIMITS.agentRegistrationsPerDay - 2; // leaves 2 registrations for today, fewer than the active limit
    for (let i = 0; i < churned; i++) await registerAndRevoke(owner, householdId);
    const responses = await Promise.all(Array.from({ length: LIMITS.agents + 3 }, () => registerAgent(owner, householdId)));
    expect(statuses(responses)).toEqual([...Array<number>(2).fill(201), ...Array<number>(LIMITS.agents + 1).fill(409)]);
    expect(await count('SELECT count(*)::int AS n FROM agents WHERE household_id = $1', [householdId])).toBe(LIMITS.agentRegistrationsPerDay);
  });

  it('when another household of the same owner registers agents, then they do not count', async () => {
    const owner = await t.newUser('owner');
    const [first, second] = [await newHousehold(owner), await newHousehold(owner)];
    for (let i = 0; i < LIMITS.agentRegistrationsPerDay; i++) await registerAndRevoke(owner, first);
    expect((await registerAgent(owner, second)).statusCode).toBe(201);
  });
});

describe('open invitations per household', () => {
  it('when a household has the most open invitations allowed, then the next is refused and nothing is written; expired, accepted and withdrawn ones do not count', async () => {
    const [owner, invitee] = [await t.newUser('owner'), await t.newUser('invitee')];
    const householdId = await newHousehold(owner);
    const first = await invite(owner, householdId, 'expired@example.test');
    const second = await invite(owner, householdId, 'withdrawn@example.test');
    const token = await inviteToken(owner, householdId, invitee.email);
    await t.service.db.query("UPDATE invitations SET expires_at = now() - interval '1 second' WHERE id = $1", [first.json<{ id: string }>().id]);
    expect((await t.request('DELETE', `/v1/households/${householdId}/invitations/${second.json<{ id: string }>().id}`, { headers: owner.auth })).statusCode).toBe(204);
    expect((await accept(invitee, token)).statusCode).toBe(200);
    for (let i = 0; i < LIMITS.invitations; i++) await inviteToken(owner, householdId, `open-${i}@example.test`);

    const [invitations, audits, refused] = [await count('SELECT count(*)::int AS n FROM invitations'), await auditRows(), await refusals('pending-invitations-per-household')];
    expectQuotaExceeded(await invite(owner, householdId, 'one-more@example.test'), 'pending-invitations-per-household', LIMITS.invitations);
    expect(await count('SELECT count(*)::int AS n FROM invitations')).toBe(invitations);
    expect(await auditRows()).toBe(audits);
    expect(await refusals('pending-invitations-per-household')).toBe(refused + 1);
  });

  it('when a household at the limit invites an address it has invited already, then the new invitation replaces the open one', async () => {
    const owner = await t.newUser('owner');
    const householdId = await newHousehold(owner);
    for (let i = 0; i < LIMITS.invitations; i++) await inviteToken(owner, householdId, `open-${i}@example.test`);
    expect((await invite(owner, householdId, 'open-0@example.test')).statusCode).toBe(201);
    expect(await count('SELECT count(*)::int AS n FROM invitations WHERE household_id = $1', [householdId])).toBe(LIMITS.invitations);
  });

  it('when an owner invites concurrently past the limit, then exactly the limit succeed', async () => {
    const owner = await t.newUser('owner');
    const householdId = await newHousehold(owner);
    const responses = await Promise.all(Array.from({ length: LIMITS.invitations + 4 }, (_, i) => invite(owner, householdId, `race-${i}@example.test`)));
    expect(statuses(responses)).toEqual([...Array<number>(LIMITS.invitations).fill(201), ...Array<number>(4).fill(409)]);
  });
});

describe('members per household', () => {
  it('when members and open invitations together fill the household, then inviting one more is refused and nothing is written; withdrawing an invitation makes room', async () => {
    const [owner, member] = [await t.newUser('owner'), await t.newUser('member')];
    const householdId = await newHousehold(owner);
    expect((await accept(member, await inviteToken(owner, householdId, member.email, fewerMembers), fewerMembers)).statusCode).toBe(200);
    const open = await invite(owner, householdId, 'holds-the-last-place@example.test', fewerMembers);
    expect(open.statusCode, open.body).toBe(201);

    const [invitations, audits, refused] = [await count('SELECT count(*)::int AS n FROM invitations'), await auditRows(), await refusals('members-per-household', fewerMembers)];
    const refusal = await invite(owner, householdId, 'one-too-many@example.test', fewerMembers);
    expectQuotaExceeded(refusal, 'members-per-household', LIMITS.fewerMembers);
    expect(refusal.json<{ message: string }>().message).toMatch(/full.*open invitations/);
    expect(await count('SELECT count(*)::int AS n FROM invitations')).toBe(invitations);
    expect(await auditRows()).toBe(audits);
    expect(await refusals('members-per-household', fewerMembers)).toBe(refused + 1);

    const withdrawn = await fewerMembers.request('DELETE', `/v1/households/${householdId}/invitations/${open.json<{ id: string }>().id}`, { headers: owner.auth });
    expect(withdrawn.statusCode).toBe(204);
    expect((await invite(owner, householdId, 'one-too-many@example.test', fewerMembers)).statusCode).toBe(201);
  });

  it('when an owner invites concurrently past the members left room for, then exactly that many invitations are made', async () => {
    const owner = await t.newUser('owner');
    const householdId = await newHousehold(owner);
    const room = LIMITS.fewerMembers - 1; // the owner is a member; fewer than the open-invitation limit
    const responses = await Promise.all(Array.from({ length: LIMITS.invitations + 2 }, (_, i) => invite(owner, householdId, `race-${i}@example.test`, fewerMembers)));
    expect(statuses(responses)).toEqual([...Array<number>(room).fill(201), ...Array<number>(LIMITS.invitations + 2 - room).fill(409)]);
    expect(responses.filter((r) => r.statusCode === 409).map((r) => r.json<{ details: unknown }>().details)).toEqual(
      Array.from({ length: LIMITS.invitations + 2 - room }, () => [{ quota: 'members-per-household', limit: LIMITS.fewerMembers }]),
    );
  });

  it('when the limit was lowered after the invitation, then accepting is refused, the invitation stays open, and works once a member leaves', async () => {
    const owner = await t.newUser('owner');
    const householdId = await newHousehold(owner);
    const members = [await t.newUser('m1'), await t.newUser('m2')];
    for (const member of members) expect((await accept(member, await inviteToken(owner, householdId, member.email))).statusCode).toBe(200);
    const late = await t.newUser('late');
    const token = await inviteToken(owner, householdId, late.email); // the household had room under the limit of the time

    const [audits, refused] = [await auditRows(), await refusals('members-per-household', fewerMembers)];
    expectQuotaExceeded(await accept(late, token, fewerMembers), 'members-per-household', LIMITS.fewerMembers);
    expect(await count('SELECT count(*)::int AS n FROM memberships WHERE household_id = $1', [householdId])).toBe(LIMITS.fewerMembers);
    expect(await count('SELECT count(*)::int AS n FROM invitations WHERE household_id = $1 AND accepted_at IS NULL', [householdId])).toBe(1);
    expect(await auditRows()).toBe(audits);
    expect(await refusals('members-per-household', fewerMembers)).toBe(refused + 1);

    const leaver = members[0] as TestUser;
    expect((await t.request('DELETE', `/v1/households/${householdId}/members/${leaver.userId}`, { headers: leaver.auth })).statusCode).toBe(204);
    expect((await accept(late, token, fewerMembers)).statusCode).toBe(200);
  });

  it('when invitees accept concurrently past a limit lowered after their invitations, then exactly the limit are members', async () => {
    const owner = await t.newUser('owner');
    const householdId = await newHousehold(owner);
    const invitees = await Promise.all(Array.from({ length: LIMITS.invitations }, (_, i) => t.newUser(`invitee-${i}`)));
    const invited: Array<{ invitee: TestUser; token: string }> = [];
    for (const invitee of invitees) invited.push({ invitee, token: await inviteToken(owner, householdId, invitee.email) });
    const responses = await Promise.all(invited.map(({ invitee, token }) => accept(invitee, token, fewerMembers)));
    const joined = LIMITS.fewerMembers - 1; // the owner is a member
    expect(statuses(responses)).toEqual([...Array<number>(joined).fill(200), ...Array<number>(invitees.length - joined).fill(409)]);
    expect(await count('SELECT count(*)::int AS n FROM memberships WHERE household_id = $1', [householdId])).toBe(LIMITS.fewerMembers);
  });
});
