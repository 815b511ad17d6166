// CRUD of a household's alert rules. Editing, disabling or deleting a rule resolves its firing
// alerts in the same transaction (with their webhook events); the evaluator reloads at once.
import { z } from 'zod';
import type { HttpApp } from '../../../lib/http/http-app.js';
import { toEngineRule } from '../data/rules-repository.js';
import type { AlertsContext } from './alerts-context.js';
import { authorizeHousehold } from './access.js';
import { alertsError, translated } from './errors.js';
import { errorBody, householdParams, ruleInput, ruleList, ruleParams, ruleView, type RuleView } from './schemas.js';

const security = [{ bearer: [] }];
const errors = { 400: errorBody, 401: errorBody, 403: errorBody, 404: errorBody, 409: errorBody, 503: errorBody };

/** Whether the engine would evaluate the new version differently (a rename alone does not count). */
function evaluatesDifferently(before: RuleView, after: RuleView): boolean {
  if (before.enabled !== after.enabled) return true;
  return JSON.stringify(toEngineRule(before)) !== JSON.stringify(toEngineRule(after));
}

export function registerRuleRoutes(app: HttpApp, ctx: AlertsContext): void {
  const refresh = (): Promise<void> => ctx.rulesChanged().catch(() => undefined);

  app.get('/v1/households/:householdId/alert-rules', { schema: { params: householdParams, security, response: { 200: ruleList, ...errors } } }, async (request) => {
    await authorizeHousehold(ctx, request, request.params.householdId);
    return { rules: await translated(() => ctx.rules.list(request.params.householdId)) };
  });

  app.post('/v1/households/:householdId/alert-rules', { schema: { params: householdParams, body: ruleInput, security, response: { 201: ruleView, ...errors } } }, async (request, reply) => {
    await authorizeHousehold(ctx, request, request.params.householdId, 'change');
    const rule = await translated(() => ctx.rules.create(request.params.householdId, request.body, ctx.maxRulesPerHousehold));
    if (rule === undefined) throw alertsError('too-many-rules', `a household may have at most ${ctx.maxRulesPerHousehold} rules`);
    await refresh();
    return reply.status(201).header('location', `/v1/households/${rule.householdId}/alert-rules/${rule.id}`).send(rule);
  });

  app.get('/v1/households/:householdId/alert-rules/:ruleId', { schema: { params: ruleParams, security, response: { 200: ruleView, ...errors } } }, async (request) => {
    await authorizeHousehold(ctx, request, request.params.householdId);
    const rule = await translated(() => ctx.rules.get(request.params.householdId, request.params.ruleId));
    if (rule === undefined) throw alertsError('rule-not-found', `no rule ${request.params.ruleId} in this household`);
    return rule;
  });

  app.put('/v1/households/:householdId/alert-rules/:ruleId', { schema: { params: ruleParams, body: ruleInput, security, response: { 200: ruleView, ...errors } } }, async (request) => {
    const { householdId, ruleId } = request.params;
    await authorizeHousehold(ctx, request, householdId, 'change');
    const before = await translated(() => ctx.rules.get(householdId, ruleId));
    if (before === undefined) throw alertsError('rule-not-found', `no rule ${ruleId} in this household`);
    const { after, resolved } = await translated(() =>
      ctx.alerts.transaction(async (tx) => {
        const updated = await ctx.rules.replace(tx, householdId, ruleId, request.body);
        if (updated === undefined) throw alertsError('rule-not-found', `no rule ${ruleId} in this household`);
        return { after: updated, resolved: evaluatesDifferently(before, updated) ? await ctx.alerts.resolveForRule(tx, householdId, ruleId, ctx.now()) : [] };
      }),
    );
    ctx.resolvedByRuleChange(resolved);
    await refresh();
    return after;
  });

  app.delete('/v1/households/:householdId/alert-rules/:ruleId', { schema: { params: ruleParams, security, response: { 204: z.null(), ...errors } } }, async (request, reply) => {
    const { householdId, ruleId } = request.params;
    await authorizeHousehold(ctx, request, householdId, 'change');
    const resolved = await translated(() =>
      ctx.alerts.transaction(async (tx) => {
        // Resolve first: deleting the rule sets its alerts' rule_id to NULL. Both are scoped by the
        // household in the path, and when nothing was removed the throw rolls the resolving back.
        const alerts = await ctx.alerts.resolveForRule(tx, householdId, ruleId, ctx.now());
        if (!(await ctx.rules.remove(tx, householdId, ruleId))) throw alertsError('rule-not-found', `no rule ${ruleId} in this household`);
        return alerts;
      }),
    );
    ctx.resolvedByRuleChange(resolved);
    await refresh();
    return reply.status(204).send(null);
  });
}
