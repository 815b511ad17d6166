// Members and invitations of a household; accepting an invitation.
import { z } from 'zod';
import type { HttpApp } from '../../../lib/http/http-app.js';
import type { AuthContext } from '../auth-context.js';
import { acceptInvitation, inviteMember, listInvitations, listMembers, removeMemberOf, withdrawInvitation } from '../use-cases/members.js';
import { authenticateUser } from './authenticate.js';
import { clientAddress, noStore } from './route-helpers.js';
import { bearer, emailSchema, householdParams, idSchema, memberParams, opaqueTokenSchema } from './schemas.js';

const memberSchema = z.object({ userId: z.string(), email: z.string(), displayName: z.string(), role: z.enum(['owner', 'member']), joinedAt: z.string() });
const invitationSchema = z.object({ id: z.string(), householdId: z.string(), email: z.string(), createdAt: z.string(), expiresAt: z.string() });

export function registerMemberRoutes(app: HttpApp, ctx: AuthContext): void {
  app.get(
    '/v1/households/:householdId/members',
    { schema: { summary: 'Members of the household (members).', security: bearer, params: householdParams, response: { 200: z.object({ members: z.array(memberSchema) }) } } },
    async (request) => ({ members: await listMembers(ctx, await authenticateUser(ctx, request), request.params.householdId) }),
  );

  app.post(
    '/v1/households/:householdId/invitations',
    {
      schema: {
        summary: 'Invite an email address (owners). The token is shown once; the invitee accepts it while logged in with that address.',
        security: bearer,
        params: householdParams,
        body: z.object({ email: emailSchema }),
        response: { 201: invitationSchema.extend({ token: z.string() }) },
      },
    },
    async (request, reply) => {
      noStore(reply);
      const caller = await authenticateUser(ctx, request);
      return reply.status(201).send(await inviteMember(ctx, caller, request.params.householdId, request.body.email, clientAddress(request)));
    },
  );

  app.get(
    '/v1/households/:householdId/invitations',
    { schema: { summary: 'Open invitations (owners).', security: bearer, params: householdParams, response: { 200: z.object({ invitations: z.array(invitationSchema) }) } } },
    async (request) => ({ invitations: await listInvitations(ctx, await authenticateUser(ctx, request), request.params.householdId) }),
  );

  app.delete(
    '/v1/households/:householdId/invitations/:invitationId',
    { schema: { summary: 'Withdraw an open invitation (owners).', security: bearer, params: z.object({ householdId: idSchema, invitationId: z.uuid() }) } },
    async (request, reply) => {
      await withdrawInvitation(ctx, await authenticateUser(ctx, request), request.params.householdId, request.params.invitationId);
      return reply.status(204).send();
    },
  );

  app.post(
    '/v1/invitations/accept',
    {
      schema: {
        summary: 'Join the household of an invitation addressed to the caller’s email.',
        security: bearer,
        body: z.object({ token: opaqueTokenSchema }),
        response: { 200: z.object({ householdId: z.string(), role: z.literal('member') }) },
      },
    },
    async (request) => acceptInvitation(ctx, await authenticateUser(ctx, request), request.body.token, clientAddress(request)),
  );

  app.delete(
    '/v1/households/:householdId/members/:userId',
    { schema: { summary: 'Remove a member (owners), or leave (yourself).', security: bearer, params: memberParams } },
    async (request, reply) => {
      const caller = await authenticateUser(ctx, request);
      await removeMemberOf(ctx, caller, request.params.householdId, request.params.userId, clientAddress(request));
      return reply.status(204).send();
    },
  );
}
