// A household's alerts (firing and resolved), newest first.
import type { HttpApp } from '../../../lib/http/http-app.js';
import type { AlertsContext } from './alerts-context.js';
import { authorizeHousehold } from './access.js';
import { translated } from './errors.js';
import { alertList, alertsQuery, errorBody, householdParams } from './schemas.js';

export function registerAlertRoutes(app: HttpApp, ctx: AlertsContext): void {
  app.get(
    '/v1/households/:householdId/alerts',
    { schema: { params: householdParams, querystring: alertsQuery, security: [{ bearer: [] }], response: { 200: alertList, 400: errorBody, 401: errorBody, 403: errorBody, 503: errorBody } } },
    async (request) => {
      await authorizeHousehold(ctx, request, request.params.householdId);
      const { state, limit, before } = request.query;
      return { alerts: await translated(() => ctx.alerts.list(request.params.householdId, state, limit, before === undefined ? undefined : Date.parse(before))) };
    },
  );
}
