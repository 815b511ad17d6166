// /v1/households/:householdId/agents: register, list, rotate, revoke.
import { z } from 'zod';
import type { HttpApp } from '../../../lib/http/http-app.js';
import type { AuthContext } from '../auth-context.js';
import { AGENT_LIST_STATES } from '../data/agents-repository.js';
import { AGENT_CURSOR_MAX_CHARS, decodeAgentCursor, encodeAgentCursor } from '../domain/agent-list-cursor.js';
import { listAgents, registerAgent, revokeAgentOf, rotateAgent } from '../use-cases/agents.js';
import { authenticateUser } from './authenticate.js';
import { clientAddress, noStore } from './route-helpers.js';
import { agentNameSchema, agentParams, bearer, householdParams } from './schemas.js';

const credentialsSchema = z.object({
  agentId: z.string(),
  householdId: z.string(),
  username: z.string(),
  password: z.string().describe('256-bit random, base64url; shown only in this response'),
  mqttUrl: z.string(),
  provisioningCommand: z.string().describe('shell command for the Pi; every value single-quoted'),
});
const agentSchema = z.object({
  agentId: z.string(),
  name: z.string(),
  createdAt: z.string(),
  rotatedAt: z.string().nullable(),
  revokedAt: z.string().nullable(),
  credentialsChangedAt: z.string(),
});

/** Agents per page of the listing: revoked agents are kept forever, so a household's list has no bound. */
export const AGENT_PAGE_LIMITS = Object.freeze({ default: 100, max: 500 });
const LIMIT_MESSAGE = `limit must be a whole number from 1 to ${AGENT_PAGE_LIMITS.max}`;
const CURSOR_MESSAGE = 'cursor is not one this service gave out: pass the nextCursor of the previous page unchanged';

const agentListQuery = z.object({
  state: z.enum(AGENT_LIST_STATES).default('all').describe('live: not revoked; revoked; all (the default)'),
  limit: z.coerce
    .number({ error: LIMIT_MESSAGE })
    .int(LIMIT_MESSAGE)
    .min(1, LIMIT_MESSAGE)
    .max(AGENT_PAGE_LIMITS.max, LIMIT_MESSAGE)
    .default(AGENT_PAGE_LIMITS.default)
    .describe(`agents per page, at most ${AGENT_PAGE_LIMITS.max}`),
  cursor: z
    .string()
    .max(AGENT_CURSOR_MAX_CHARS, CURSOR_MESSAGE)
    .transform((cursor, ctx) => {
      const position = decodeAgentCursor(cursor);
      if (position === undefined) ctx.addIssue({ code: 'custom', message: CURSOR_MESSAGE });
      return position ?? z.NEVER;
    })
    .optional()
    .describe('the nextCursor of the previous page, unchanged; leave out for the first page'),
});

export function registerAgentRoutes(app: HttpApp, ctx: AuthContext): void {
  app.post(
    '/v1/households/:householdId/agents',
    {
      schema: {
        summary: 'Register an agent (owners). The credentials are returned once.',
        security: bearer,
        params: householdParams,
        // The body may be left out entirely (`{name?}`): then the agent has no name.
        body: z.object({ name: agentNameSchema.default('') }).nullish(),
        response: { 201: credentialsSchema.extend({ name: z.string() }) },
      },
    },
    async (request, reply) => {
      noStore(reply);
      const caller = await authenticateUser(ctx, request);
      return reply.status(201).send(await registerAgent(ctx, caller, request.params.householdId, request.body?.name ?? '', clientAddress(request)));
    },
  );

  app.get(
    '/v1/households/:householdId/agents',
    {
      schema: {
        summary: 'Agents of the household (members), oldest first, a page at a time: follow nextCursor until it is null.',
        security: bearer,
        params: householdParams,
        querystring: agentListQuery,
        response: {
          200: z.object({
            agents: z.array(agentSchema),
            nextCursor: z.string().nullable().describe('pass as `cursor` for the next page; null on the last page'),
          }),
        },
      },
    },
    async (request) => {
      const caller = await authenticateUser(ctx, request);
      const { state, limit, cursor } = request.query;
      const page = await listAgents(ctx, caller, request.params.householdId, { state, limit, after: cursor });
      return { agents: page.agents, nextCursor: page.next === null ? null : encodeAgentCursor(page.next) };
    },
  );

  app.post(
    '/v1/households/:householdId/agents/:agentId/rotate',
    { schema: { summary: 'Replace the agent secret (owners); the new one is returned once.', security: bearer, params: agentParams, response: { 200: credentialsSchema } } },
    async (request, reply) => {
      noStore(reply);
      const caller = await authenticateUser(ctx, request);
      return rotateAgent(ctx, caller, request.params.householdId, request.params.agentId, clientAddress(request));
    },
  );

  app.delete(
    '/v1/households/:householdId/agents/:agentId',
    { schema: { summary: 'Revoke the agent (owners); the broker disconnects it within 10 s.', security: bearer, params: agentParams } },
    async (request, reply) => {
      const caller = await authenticateUser(ctx, request);
      await revokeAgentOf(ctx, caller, request.params.householdId, request.params.agentId, clientAddress(request));
      return reply.status(204).send();
    },
  );
}
