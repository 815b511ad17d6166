// A household's webhook: read, set, remove, and send a test event now (not through the outbox, so
// the answer says whether the receiver accepted it).
import { randomUUID } from 'node:crypto';
import { z } from 'zod';
import type { HttpApp } from '../../../lib/http/http-app.js';
import { hostRefusal } from '../webhook/address-filter.js';
import { deliverWebhook } from '../webhook/deliver.js';
import { testEventBody } from '../webhook/event-body.js';
import type { AlertsContext } from './alerts-context.js';
import { authorizeHousehold } from './access.js';
import { alertsError, translated } from './errors.js';
import { errorBody, householdParams, webhookInput, webhookTestResult, webhookView } from './schemas.js';

const security = [{ bearer: [] }];
const errors = { 400: errorBody, 401: errorBody, 403: errorBody, 404: errorBody, 503: errorBody };
const notConfigured = () => alertsError('webhook-not-configured', 'this household has no webhook');

export function registerWebhookRoutes(app: HttpApp, ctx: AlertsContext): void {
  const path = '/v1/households/:householdId/alert-webhook';
  app.get(path, { schema: { params: householdParams, security, response: { 200: webhookView, ...errors } } }, async (request) => {
    await authorizeHousehold(ctx, request, request.params.householdId);
    const webhook = await translated(() => ctx.webhooks.get(request.params.householdId));
    if (webhook === undefined) throw notConfigured();
    return webhook;
  });

  app.put(path, { schema: { params: householdParams, body: webhookInput, security, response: { 200: webhookView, ...errors } } }, async (request) => {
    await authorizeHousehold(ctx, request, request.params.householdId, 'change');
    // What the delivery would refuse without asking DNS is refused now, not at the first alert.
    // The schema has parsed the URL already (z.url), so new URL cannot throw here.
    const refusal = ctx.webhook.allowPrivate ? undefined : hostRefusal(new URL(request.body.url));
    if (refusal !== undefined) throw alertsError('invalid-request', `body.url: ${refusal}`);
    return translated(() => ctx.webhooks.put(request.params.householdId, request.body));
  });

  app.delete(path, { schema: { params: householdParams, security, response: { 204: z.null(), ...errors } } }, async (request, reply) => {
    await authorizeHousehold(ctx, request, request.params.householdId, 'change');
    if (!(await translated(() => ctx.webhooks.remove(request.params.householdId)))) throw notConfigured();
    return reply.status(204).send(null);
  });

  app.post(`${path}/test`, { schema: { params: householdParams, security, response: { 200: webhookTestResult, ...errors } } }, async (request) => {
    const { householdId } = request.params;
    await authorizeHousehold(ctx, request, householdId, 'change');
    const target = await translated(() => ctx.webhooks.target(householdId));
    if (target === undefined) throw notConfigured();
    const eventId = randomUUID();
    const nowMs = ctx.now();
    const outcome = await deliverWebhook({ url: target.url, secret: target.secret, eventId, body: testEventBody(eventId, householdId, nowMs), nowMs, ...ctx.webhook });
    return outcome.ok
      ? { eventId, delivered: true, status: outcome.status }
      : { eventId, delivered: false, error: outcome.error, ...(outcome.status === undefined ? {} : { status: outcome.status }) };
  });
}
