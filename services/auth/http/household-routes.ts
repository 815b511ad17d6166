// /v1/households: create, list mine, read, rename / change time zone, set the tariff.
import { z } from 'zod';
import type { HttpApp } from '../../../lib/http/http-app.js';
import type { AuthContext } from '../auth-context.js';
import { changeHousehold, createHousehold, getHousehold, listHouseholds } from '../use-cases/households.js';
import { authenticateUser } from './authenticate.js';
import { clientAddress } from './route-helpers.js';
import { bearer, householdNameSchema, householdParams, householdSchema, tariffSchema, timeZoneSchema } from './schemas.js';

export function registerHouseholdRoutes(app: HttpApp, ctx: AuthContext): void {
  app.post(
    '/v1/households',
    {
      schema: {
        summary: 'Create a household; the caller becomes its owner.',
        security: bearer,
        body: z.object({ name: householdNameSchema, timeZone: timeZoneSchema.optional(), tariff: tariffSchema.optional() }),
        response: { 201: householdSchema },
      },
    },
    async (request, reply) => {
      const caller = await authenticateUser(ctx, request);
      return reply.status(201).send(await createHousehold(ctx, caller, request.body, clientAddress(request)));
    },
  );

  app.get(
    '/v1/households',
    {
      schema: {
        summary: 'Households the caller belongs to, with their role; `?all=true` lists every household (admins, first 1000).',
        security: bearer,
        querystring: z.object({ all: z.enum(['true', 'false']).default('false') }),
        response: { 200: z.object({ households: z.array(householdSchema) }) },
      },
    },
    async (request) => ({ households: await listHouseholds(ctx, await authenticateUser(ctx, request), request.query.all === 'true') }),
  );

  app.get(
    '/v1/households/:householdId',
    { schema: { summary: 'One household (members).', security: bearer, params: householdParams, response: { 200: householdSchema } } },
    async (request) => getHousehold(ctx, await authenticateUser(ctx, request), request.params.householdId),
  );

  app.patch(
    '/v1/households/:householdId',
    {
      schema: {
        summary: 'Rename the household or change its IANA time zone (owners).',
        security: bearer,
        params: householdParams,
        body: z
          .object({ name: householdNameSchema.optional(), timeZone: timeZoneSchema.optional() })
          .refine((b) => b.name !== undefined || b.timeZone !== undefined, 'give name and/or timeZone'),
        response: { 200: householdSchema },
      },
    },
    async (request) => changeHousehold(ctx, await authenticateUser(ctx, request), request.params.householdId, request.body, clientAddress(request)),
  );

  app.put(
    '/v1/households/:householdId/tariff',
    {
      schema: { summary: 'Replace the household tariff (owners).', security: bearer, params: householdParams, body: tariffSchema, response: { 200: householdSchema } },
    },
    async (request) =>
      changeHousehold(ctx, await authenticateUser(ctx, request), request.params.householdId, { tariff: request.body }, clientAddress(request)),
  );
}
