// History endpoints: devices and their status, power, energy and cost.

import type { FastifyReply } from 'fastify';
import type { HttpApp } from '../../../lib/http/http-app.js';
import { devicesStatus } from '../use-cases/devices-status.js';
import { energyReport } from '../use-cases/energy-report.js';
import { powerHistory, type PowerHistoryRequest } from '../use-cases/power-history.js';
import { authorizeHousehold, authorizeReader } from './access.js';
import { readError, translated } from './errors.js';
import { powerHistoryJson } from './power-json.js';
import type { ReadContext } from './read-context.js';
import { deviceParams, energyQuery, householdParams, MAX_RANGE_S, parseRange, powerQuery } from './schemas.js';

const secured = { security: [{ bearer: [] }] };

export function registerHistoryRoutes(app: HttpApp, ctx: ReadContext): void {
  app.get('/v1/households/:householdId/devices', { schema: { ...secured, params: householdParams, summary: 'Agents and devices with last-seen time and online status' } }, (request) =>
    translated(async () => {
      const household = await authorizeHousehold(ctx, request, request.params.householdId);
      const nowMs = ctx.now();
      const lookbackMs = Math.min(ctx.catalogue.rawRetentionMs, 31 * 86_400_000);
      const [agents, seen, reported] = await Promise.all([
        // An agent revoked before the lookback has no readings in it to show.
        ctx.catalog.agents(household.id, { revokedSinceMs: nowMs - lookbackMs }),
        ctx.activity.lastSeen(household.id, nowMs - lookbackMs, nowMs + 60_000),
        ctx.agentStatus(household.id),
      ]);
      return { householdId: household.id, timeZone: household.timeZone, agents: devicesStatus(agents, seen, reported, { nowMs, onlineWindowMs: ctx.config.onlineWindowMs }) };
    }),
  );

  const power = async (reply: FastifyReply, request: PowerHistoryRequest): Promise<FastifyReply> => {
    const result = await powerHistory(
      { history: ctx.history, catalogue: ctx.catalogue, targetPoints: ctx.config.maxPoints, maxPoints: ctx.config.maxExplicitPoints, nowMs: ctx.now() },
      request,
    );
    // Already JSON: fastify sends a string with a JSON content type as it is.
    return reply.type('application/json; charset=utf-8').send(powerHistoryJson(result, result.resolutionMs / 1000));
  };

  app.get('/v1/households/:householdId/power', { schema: { ...secured, params: householdParams, querystring: powerQuery, summary: 'Power history of every device and the household total (W, mean and max per bucket)' } }, (request, reply) =>
    translated(async () => {
      const householdId = await authorizeReader(ctx, request, request.params.householdId);
      const range = parseRange(request.query, MAX_RANGE_S.power);
      return power(reply, { householdId, ...range, resolutionMs: secondsToMs(request.query.resolution), split: request.query.split });
    }),
  );

  app.get('/v1/households/:householdId/devices/:deviceId/power', { schema: { ...secured, params: deviceParams, querystring: powerQuery, summary: 'Power history of one device' } }, (request, reply) =>
    translated(async () => {
      const householdId = await authorizeReader(ctx, request, request.params.householdId);
      const range = parseRange(request.query, MAX_RANGE_S.power);
      await requireDevice(ctx, householdId, request.params.deviceId);
      return power(reply, { householdId, deviceId: request.params.deviceId, ...range, resolutionMs: secondsToMs(request.query.resolution), split: request.query.split });
    }),
  );

  for (const kind of ['energy', 'cost'] as const) {
    const summary = kind === 'energy' ? 'Energy in kWh per local period, per device and total' : 'Cost per local period from the household tariff';
    app.get(`/v1/households/:householdId/${kind}`, { schema: { ...secured, params: householdParams, querystring: energyQuery, summary } }, (request) =>
      translated(async () => {
        const household = await authorizeHousehold(ctx, request, request.params.householdId);
        const { period, device } = request.query;
        const range = parseRange(request.query, period === 'hour' ? MAX_RANGE_S['energy-hour'] : MAX_RANGE_S.energy);
        if (device !== undefined) await requireDevice(ctx, household.id, device);
        const report = await energyReport(ctx.history, { household, deviceId: device, period, ...range }, ctx.now(), kind === 'cost');
        return kind === 'cost' ? { ...report, currency: household.tariff.currency, tariff: household.tariff } : { ...report, unit: 'kWh' };
      }),
    );
  }
}

function secondsToMs(seconds: number | undefined): number | undefined {
  return seconds === undefined ? undefined : seconds * 1000;
}

export async function requireDevice(ctx: ReadContext, householdId: string, deviceId: string): Promise<void> {
  const devices = await ctx.activity.devices(householdId);
  if (!devices.includes(deviceId)) throw readError('device-not-found', `household ${householdId} has no device ${JSON.stringify(deviceId)}`);
}

