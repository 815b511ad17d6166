// GET /v1/households/:id/agents a page at a time: ?state= filters, ?limit= bounds a page, and
// nextCursor goes on from the last agent in (created_at, id) order. Real PostgreSQL; the paging walk
// goes over a real socket to the listening service, the rest through app.inject(). Agents are
// mostly inserted directly, so that a household can have more than its quotas allow through the
// API (revoked agents pile up over years) and several agents can share a created_at.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AGENT_PAGE_LIMITS } from '../http/agent-routes.js';
import { startTestService, type TestService, type TestUser } from './auth-test-service.js';

interface ListedAgent {
  agentId: string;
  name: string;
  createdAt: string;
  revokedAt: string | null;
}
interface AgentList {
  agents: ListedAgent[];
  nextCursor: string | null;
}

let t: TestService;
let owner: TestUser;
let baseUrl: string;

beforeAll(async () => {
  // Registrations through the API in the paging walk would otherwise meet the quotas.
  t = await startTestService('auth_agent_list', { EM_AUTH_MAX_AGENTS_PER_HOUSEHOLD: '1000', EM_AUTH_MAX_AGENT_REGISTRATIONS_PER_HOUSEHOLD_PER_DAY: '1000' });
  owner = await t.newUser('owner');
  const address = t.service.app.server.address();
  if (address === null || typeof address !== 'object') throw new Error('the service does not listen');
  baseUrl = `http://127.0.0.1:${address.port}`;
});
afterAll(async () => t?.close());

async function newHousehold(by: TestUser = owner): Promise<string> {
  const response = await t.request('POST', '/v1/households', { headers: by.auth, body: { name: 'Home' } });
  expect(response.statusCode).toBe(201);
  return response.json<{ id: string }>().id;
}

/**
 * `count` agents named `${prefix}-${i}`, created a day ago in groups of three sharing one
 * created_at, the groups a microsecond apart: all in one millisecond, ties broken by id only.
 * Every `revokedEvery`-th is revoked (0: none).
 */
async function insertAgents(householdId: string, prefix: string, count: number, revokedEvery = 0): Promise<void> {
  await t.service.db.query(
    `INSERT INTO agents (id, household_id, name, secret_hash, created_at, revoked_at)
     SELECT $2 || '-' || i, $1, 'n' || i, '\\x00'::bytea,
            date_trunc('second', now()) - interval '1 day' + (i / 3) * interval '1 microsecond',
            CASE WHEN $4 > 0 AND i % $4 = 0 THEN now() END
       FROM generate_series(1, $3::int) i`,
    [householdId, prefix, count, revokedEvery],
  );
}

/** The household's agent ids as the listing must order them. */
async function storedOrder(householdId: string, where = 'true'): Promise<string[]> {
  const rows = await t.service.db.query<{ id: string }>(`SELECT id FROM agents WHERE household_id = $1 AND ${where} ORDER BY created_at, id`, [householdId]);
  return rows.map((r) => r.id);
}

const list = (householdId: string, query = '', by: TestUser = owner) => t.request('GET', `/v1/households/${householdId}/agents${query}`, { headers: by.auth });

async function listOk(householdId: string, query = ''): Promise<AgentList> {
  const response = await list(householdId, query);
  expect(response.statusCode, response.body).toBe(200);
  return response.json<AgentList>();
}

/** Every page from the first, following nextCursor; `betweenPages` runs after each page that has a next. */
async function walk(householdId: string, query: string, betweenPages: () => Promise<void> = () => Promise.resolve()): Promise<ListedAgent[][]> {
  const pages: ListedAgent[][] = [];
  let cursor: string | null = null;
  do {
    const response: Response = await fetch(`${baseUrl}/v1/households/${householdId}/agents?${query}${cursor === null ? '' : `&cursor=${cursor}`}`, { headers: owner.auth });
    expect(response.status).toBe(200);
    const page = (await response.json()) as AgentList;
    pages.push(page.agents);
    cursor = page.nextCursor;
    if (cursor !== null) await betweenPages();
    expect(pages.length).toBeLessThan(100); // a cursor that does not move on would loop forever
  } while (cursor !== null);
  return pages;
}

const ids = (agents: readonly ListedAgent[]): string[] => agents.map((a) => a.agentId);

describe('paging', () => {
  it('when agents are registered and revoked while a client pages through all of them, then every agent is listed once, in (created_at, id) order, those registered meanwhile included', async () => {
    const householdId = await newHousehold();
    await insertAgents(householdId, 'old', 40, 5);
    const before = await storedOrder(householdId);
    const registered: string[] = [];
    let revokedMeanwhile = 0;

    const pages = await walk(householdId, 'limit=7', async () => {
      const response = await t.request('POST', `/v1/households/${householdId}/agents`, { headers: owner.auth, body: { name: 'meanwhile' } });
      expect(response.statusCode).toBe(201);
      registered.push(response.json<{ agentId: string }>().agentId);
      // Revoking changes no agent's place: the walk still lists it once.
      const revoke = before[before.length - 1 - revokedMeanwhile++] ?? '';
      expect((await t.request('DELETE', `/v1/households/${householdId}/agents/${revoke}`, { headers: owner.auth })).statusCode).toBe(204);
    });

    expect(pages.slice(0, -1).every((page) => page.length === 7)).toBe(true);
    const listed = pages.flatMap(ids);
    expect(new Set(listed).size).toBe(listed.length);
    expect(listed).toEqual([...before, ...registered]);
    expect(listed).toEqual(await storedOrder(householdId));
    expect(registered.length).toBe(pages.length - 1);
  });

  it('when the agents fill the last page exactly, then its nextCursor is null, and no empty page follows', async () => {
    const householdId = await newHousehold();
    await insertAgents(householdId, 'exact', 6);
    const pages = await walk(householdId, 'limit=3');
    expect(pages.map((page) => page.length)).toEqual([3, 3]);
    expect((await listOk(householdId, '?limit=6')).nextCursor).toBeNull();
    expect((await listOk(householdId, '?limit=5')).nextCursor).not.toBeNull();
  });

  it('when a household has no agents, then the answer is an empty page with no nextCursor', async () => {
    expect(await listOk(await newHousehold())).toEqual({ agents: [], nextCursor: null });
  });

  it('when a cursor from another household is used, then it only places the page: every agent listed is of the household asked for', async () => {
    const [mine, theirs] = [await newHousehold(), await newHousehold()];
    await insertAgents(mine, 'mine', 5);
    await insertAgents(theirs, 'theirs', 5);
    const theirCursor = (await listOk(theirs, '?limit=2')).nextCursor ?? '';
    const page = await listOk(mine, `?cursor=${theirCursor}`);
    expect(ids(page.agents).every((id) => id.startsWith('mine-'))).toBe(true);
  });
});

describe('state and limit', () => {
  let householdId: string;
  beforeAll(async () => {
    householdId = await newHousehold();
    await insertAgents(householdId, 'mixed', 12, 3); // 4 revoked, 8 live
  });

  it('when no query is given, then every agent comes, revoked ones included, as before paging: {agents} and a null nextCursor', async () => {
    const page = await listOk(householdId);
    expect(ids(page.agents)).toEqual(await storedOrder(householdId));
    expect(page.nextCursor).toBeNull();
    expect(Object.keys(page.agents[0] ?? {}).sort()).toEqual(['agentId', 'createdAt', 'credentialsChangedAt', 'name', 'revokedAt', 'rotatedAt']);
  });

  it('when state is live or revoked, then exactly those agents come, also a page at a time; all is everyone', async () => {
    expect(ids((await listOk(householdId, '?state=live')).agents)).toEqual(await storedOrder(householdId, 'revoked_at IS NULL'));
    expect(ids((await listOk(householdId, '?state=revoked')).agents)).toEqual(await storedOrder(householdId, 'revoked_at IS NOT NULL'));
    expect(ids((await listOk(householdId, '?state=all')).agents)).toEqual(await storedOrder(householdId));
    const livePages = await walk(householdId, 'state=live&limit=3');
    expect(livePages.map((page) => page.length)).toEqual([3, 3, 2]);
    expect(livePages.flat().every((agent) => agent.revokedAt === null)).toBe(true);
    const revokedPages = await walk(householdId, 'state=revoked&limit=3');
    expect(revokedPages.flat().map((agent) => agent.revokedAt !== null)).toEqual([true, true, true, true]);
  });

  it(`when more agents than the default limit exist, then a page holds ${AGENT_PAGE_LIMITS.default} unless asked for up to ${AGENT_PAGE_LIMITS.max}`, async () => {
    const many = await newHousehold();
    await insertAgents(many, 'many', AGENT_PAGE_LIMITS.default + 1, 2);
    const first = await listOk(many);
    expect(first.agents).toHaveLength(AGENT_PAGE_LIMITS.default);
    expect((await listOk(many, `?cursor=${first.nextCursor}`)).agents).toHaveLength(1);
    expect(await listOk(many, `?limit=${AGENT_PAGE_LIMITS.max}`)).toMatchObject({ agents: { length: AGENT_PAGE_LIMITS.default + 1 }, nextCursor: null });
    expect((await listOk(many, '?limit=1')).agents).toHaveLength(1);
  });

  it.each(['0', '501', '-1', '2.5', 'ten', '', '1&limit=2'])('when limit is %j, then 400 invalid-request says what a limit may be', async (limit) => {
    const response = await list(householdId, `?limit=${limit}`);
    expect(response.statusCode).toBe(400);
    expect(response.json<{ error: string }>().error).toBe('invalid-request');
    expect(response.json<{ message: string }>().message).toContain('limit must be a whole number from 1 to 500');
  });

  it('when state is none of live, revoked, all, then 400 invalid-request naming state', async () => {
    const response = await list(householdId, '?state=deleted');
    expect(response.statusCode).toBe(400);
    expect(response.json<{ error: string }>().error).toBe('invalid-request');
    expect(response.json<{ message: string }>().message).toContain('state');
  });
});

describe('cursors that this service did not give out', () => {
  let householdId: string;
  beforeAll(async () => {
    householdId = await newHousehold();
    await insertAgents(householdId, 'c', 3);
  });
  const b64 = (text: string): string => Buffer.from(text).toString('base64url');

  it.each([
    ['junk', 'not-a-cursor'],
    ['characters outside base64url', encodeURIComponent('a1+/=')],
    ['an impossible date', b64('a1 2030-02-30T00:00:00.000000Z a-1')],
    ['month 13', b64('a1 2030-13-01T00:00:00.000000Z a-1')],
    ['hour 24', b64('a1 2030-01-01T24:00:00.000000Z a-1')],
    ['year 0', b64('a1 0000-01-01T00:00:00.000000Z a-1')],
    ['milliseconds only', b64('a1 2030-01-01T00:00:00.000Z a-1')],
    ['-infinity', b64('a1 -infinity a-1')],
    ['an id PostgreSQL would take but no agent has', b64("a1 2030-01-01T00:00:00.000000Z a-1'--")],
    ['an unknown version', b64('a2 2030-01-01T00:00:00.000000Z a-1')],
    ['a part too many', b64('a1 2030-01-01T00:00:00.000000Z a-1 x')],
    ['U+0000', b64('a1 2030-01-01T00:00:00.000000Z a\u0000')],
    ['too long', 'a'.repeat(10_000)],
  ])('when the cursor is %s, then 400 invalid-request naming the cursor, never a 500', async (_what, cursor) => {
    const response = await list(householdId, `?cursor=${cursor}`);
    expect(response.statusCode, response.body).toBe(400);
    expect(response.json<{ error: string }>().error).toBe('invalid-request');
    expect(response.json<{ message: string }>().message).toContain('cursor is not one this service gave out');
  });
});

describe('who may list', () => {
  let householdId: string;
  let member: TestUser;
  let outsider: TestUser;
  beforeAll(async () => {
    householdId = await newHousehold();
    await insertAgents(householdId, 'p', 3);
    [member, outsider] = [await t.newUser('member'), await t.newUser('outsider')];
    const invitation = await t.request('POST', `/v1/households/${householdId}/invitations`, { headers: owner.auth, body: { email: member.email } });
    const token = invitation.json<{ token: string }>().token;
    expect((await t.request('POST', '/v1/invitations/accept', { headers: member.auth, body: { token } })).statusCode).toBe(200);
  });

  it('when a member pages, then they see the agents as the owner does', async () => {
    const response = await list(householdId, '?limit=2', member);
    expect(response.statusCode).toBe(200);
    const cursor = response.json<AgentList>().nextCursor;
    expect((await list(householdId, `?cursor=${cursor}`, member)).json<AgentList>().agents).toHaveLength(1);
  });

  it('when a non-member lists, with or without a cursor, then 403 whether or not the household exists; without a token 401', async () => {
    const cursor = (await listOk(householdId, '?limit=1')).nextCursor;
    expect((await list(householdId, '', outsider)).statusCode).toBe(403);
    expect((await list(householdId, `?state=live&cursor=${cursor}`, outsider)).statusCode).toBe(403);
    expect((await list('no-such-household', '', outsider)).statusCode).toBe(403);
    expect((await t.request('GET', `/v1/households/${householdId}/agents`)).statusCode).toBe(401);
  });
});

it('when the OpenAPI document is read, then the listing declares state, limit and cursor, and nextCursor in its answer', async () => {
  const document = (await t.request('GET', '/openapi.json')).json<{
    paths: Record<string, { get: { parameters: { name: string; in: string }[]; responses: { 200: { content: { 'application/json': { schema: { properties: Record<string, unknown> } } } } } } }>;
  }>();
  const listing = document.paths['/v1/households/{householdId}/agents']?.get;
  expect(listing?.parameters.filter((p) => p.in === 'query').map((p) => p.name).sort()).toEqual(['cursor', 'limit', 'state']);
  expect(Object.keys(listing?.responses[200].content['application/json'].schema.properties ?? {}).sort()).toEqual(['agents', 'nextCursor']);
});
