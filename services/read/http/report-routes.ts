// Completeness report and CSV export.
import type { HttpApp } from '../../../lib/http/http-app.js';
import { completenessReport } from '../use-cases/completeness-report.js';
import { csvExport } from '../use-cases/csv-export.js';
import { authorizeHousehold } from './access.js';
import { translated } from './errors.js';
import { requireDevice } from './history-routes.js';
import type { ReadContext } from './read-context.js';
import { exportQuery, householdParams, MAX_RANGE_S, parseRange, rangeQuery } from './schemas.js';

const secured = { security: [{ bearer: [] }] };

export function registerReportRoutes(app: HttpApp, ctx: ReadContext): void {
  app.get(
    '/v1/households/:householdId/completeness',
    { schema: { ...secured, params: householdParams, querystring: rangeQuery, summary: 'Share of containers received per agent, device and local day, and the seq gaps' } },
    (request) =>
      translated(async () => {
        const household = await authorizeHousehold(ctx, request, request.params.householdId);
        const range = parseRange(request.query, MAX_RANGE_S.completeness);
        const agents = await completenessReport(ctx.activity, { householdId: household.id, timeZone: household.timeZone, ...range });
        return { householdId: household.id, timeZone: household.timeZone, agents };
      }),
  );

  app.get(
    '/v1/households/:householdId/export.csv',
    { schema: { ...secured, params: householdParams, querystring: exportQuery, summary: 'Raw readings as CSV (streamed; text cells are spreadsheet-safe)' } },
    (request, reply) =>
      translated(async () => {
        const household = await authorizeHousehold(ctx, request, request.params.householdId);
        const range = parseRange(request.query, MAX_RANGE_S.export);
        if (request.query.device !== undefined) await requireDevice(ctx, household.id, request.query.device);
        const stream = await csvExport(ctx.activity, { householdId: household.id, deviceId: request.query.device, ...range });
        const name = `energymonitor-${household.id}-${request.query.from.slice(0, 10)}.csv`;
        return reply.type('text/csv; charset=utf-8').header('content-disposition', `attachment; filename="${name}"`).send(stream);
      }),
  );
}
