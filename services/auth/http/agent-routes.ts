// /v1/households/:householdId/agents: register, list, rotate, revoke.
import { z } from 'zod';
import type { HttpApp } from '../../../lib/http/http-app.js';
import type { AuthContext } from '../auth-context.js';
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
    { schema: { summary: 'Agents of the household (members).', security: bearer, params: householdParams, response: { 200: z.object({ agents: z.array(agentSchema) }) } } },
    async (request) => ({ agents: await listAgents(ctx, await authenticateUser(ctx, request), request.params.householdId) }),
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
