// Webhook delivery and the service's own outages: retries keep the event id, a slow receiver holds
// back nobody else, PostgreSQL down answers 503, rule edits resolve, a warm start from InfluxDB.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { verifySignature } from '../webhook/signature.js';
import { eventually, startAlertsFixture, type AlertsFixture, type TestAgent } from './support/alerts-fixture.js';
import { stampsToday } from './support/stamps-today.js';
import { startWebhookReceiver, type WebhookReceiver } from './support/webhook-receiver.js';

let f: AlertsFixture;
const receivers: WebhookReceiver[] = [];

beforeAll(async () => {
  // A short webhook timeout so that the slow receiver's attempts end quickly.
  f = await startAlertsFixture({ EM_ALERTS_WEBHOOK_TIMEOUT_MS: '500', EM_ALERTS_RULES_REFRESH_MS: '500', EM_ALERTS_MAX_RULES_PER_HOUSEHOLD: '3' }, { proxyPostgres: true });
});

afterAll(async () => {
  await f?.close();
  for (const r of receivers) await r.close();
});

async function household(id: string): Promise<{ token: string; agent: TestAgent; hook: WebhookReceiver }> {
  const hook = await startWebhookReceiver();
  receivers.push(hook);
  const { token, agent } = await f.addHousehold(id);
  expect((await f.api('PUT', `/v1/households/${id}/alert-webhook`, token, { url: hook.url, secret: 'a-secret-of-sixteen+' })).status).toBe(200);
  return { token, agent, hook };
}

const energyRule = { kind: 'daily-energy-above', name: 'Big day', thresholdKwh: 0.1 };

async function fireEnergyAlert(agent: TestAgent): Promise<void> {
  await agent.publish([['boiler', 'energy_wh', 1_000]]);
  await agent.publish([['boiler', 'energy_wh', 1_200]]);
}

describe('alerts service webhook delivery and outages', () => {
  it('when the receiver fails, then the event is retried with the same event id, each attempt signed afresh, until it is accepted', async () => {
    const { token, agent, hook } = await household('h-retry');
    hook.setStatus(500);
    await f.api('POST', '/v1/households/h-retry/alert-rules', token, energyRule);
    await fireEnergyAlert(agent);
    // Attempts spread over more than a second: their timestamps (Unix seconds) must differ.
    await eventually(() => hook.attempts.length >= 2 && (hook.attempts.at(-1)?.receivedAtMs ?? 0) - (hook.attempts[0]?.receivedAtMs ?? 0) > 1_200, 'failed attempts over 1.2 s');
    hook.setStatus(204);
    await eventually(() => hook.received.length === 1, 'the accepted delivery');
    const ids = new Set(hook.attempts.map((a) => a.json.eventId));
    expect(ids.size).toBe(1);
    expect(new Set(hook.attempts.map((a) => a.body)).size).toBe(1);
    const stamps = hook.attempts.map((a) => /^t=(\d+),/.exec(a.headers['x-em-signature'] as string)?.[1]);
    expect(new Set(stamps).size).toBeGreaterThan(1);
    for (const a of hook.attempts) {
      expect(verifySignature('a-secret-of-sixteen+', a.body, a.headers['x-em-signature'] as string, { nowMs: a.receivedAtMs, toleranceMs: 2_000 })).toBe(true);
    }
    // The service counts a delivery once it has read the response, a moment after the receiver saw it.
    await eventually(async () => (await f.metric('em_alerts_webhook_deliveries_total')) >= 3, 'three deliveries counted');
  });

  it("when one household's webhook hangs, then another household's alert is still delivered", async () => {
    const slow = await household('h-slow');
    const quick = await household('h-quick');
    slow.hook.setDelay(60_000);
    await f.api('POST', '/v1/households/h-slow/alert-rules', slow.token, energyRule);
    await f.api('POST', '/v1/households/h-quick/alert-rules', quick.token, energyRule);
    await fireEnergyAlert(slow.agent);
    await eventually(() => slow.hook.attempts.length >= 1, 'the slow receiver was called');
    await fireEnergyAlert(quick.agent);
    await eventually(() => quick.hook.received.length === 1, 'the quick household got its alert');
  });

  it('when a rule is edited while firing, then its alert resolves; deleting it keeps the history', async () => {
    const { token, agent, hook } = await household('h-edit');
    const created = await f.api('POST', '/v1/households/h-edit/alert-rules', token, energyRule);
    const ruleId = (created.json as { id: string }).id;
    await fireEnergyAlert(agent);
    await eventually(() => hook.received.some((h) => h.json.state === 'firing'), 'firing');
    const renamed = await f.api('PUT', `/v1/households/h-edit/alert-rules/${ruleId}`, token, { ...energyRule, name: 'Renamed' });
    expect(renamed.status).toBe(200);
    expect(hook.received.filter((h) => h.json.state === 'resolved')).toHaveLength(0); // a rename changes nothing
    expect((await f.api('PUT', `/v1/households/h-edit/alert-rules/${ruleId}`, token, { ...energyRule, thresholdKwh: 50 })).status).toBe(200);
    await eventually(() => hook.received.some((h) => h.json.state === 'resolved'), 'resolved after the edit');
    expect((await f.api('DELETE', `/v1/households/h-edit/alert-rules/${ruleId}`, token)).status).toBe(204);
    expect((await f.api('GET', `/v1/households/h-edit/alert-rules/${ruleId}`, token)).status).toBe(404);
    const alerts = await f.api('GET', '/v1/households/h-edit/alerts', token);
    expect(alerts.json).toMatchObject({ alerts: [{ ruleId: null, ruleName: 'Big day', state: 'resolved' }] });
    const startedAt = (alerts.json as { alerts: { startedAt: string }[] }).alerts[0]?.startedAt ?? '';
    const older = await f.api('GET', `/v1/households/h-edit/alerts?before=${encodeURIComponent(startedAt)}`, token);
    expect(older.json).toEqual({ alerts: [] });
  });

  it('when a household has the most rules allowed, then another one is refused with 409', async () => {
    const { token } = await f.addHousehold('h-many');
    for (let i = 0; i < 3; i += 1) {
      expect((await f.api('POST', '/v1/households/h-many/alert-rules', token, { ...energyRule, name: `rule ${i}` })).status).toBe(201);
    }
    const refused = await f.api('POST', '/v1/households/h-many/alert-rules', token, energyRule);
    expect(refused.status).toBe(409);
    expect(refused.json).toMatchObject({ error: 'too-many-rules' });
    const list = await f.api('GET', '/v1/households/h-many/alert-rules', token);
    expect((list.json as { rules: { name: string }[] }).rules.map((r) => r.name)).toEqual(['rule 0', 'rule 1', 'rule 2']);
  });

  it('when the webhook test is sent, then the receiver gets a signed test event and the answer says so', async () => {
    const { token, hook } = await household('h-test');
    const sent = await f.api('POST', '/v1/households/h-test/alert-webhook/test', token);
    expect(sent.json).toMatchObject({ delivered: true, status: 200 });
    expect(hook.received[0]?.json).toMatchObject({ type: 'test', householdId: 'h-test' });
    const test = hook.received[0];
    expect(verifySignature('a-secret-of-sixteen+', test?.body ?? '', test?.headers['x-em-signature'] as string, { nowMs: test?.receivedAtMs, toleranceMs: 2_000 })).toBe(true);
    const view = await f.api('GET', '/v1/households/h-test/alert-webhook', token);
    expect(view.json).toMatchObject({ url: hook.url, enabled: true, secretHint: 'een+' });
    expect(view.json).not.toHaveProperty('secret');
  });

  it('when InfluxDB holds today\'s readings, then a restarted service counts them (warm start)', async () => {
    const { token, hook } = await household('h-warm');
    await f.api('POST', '/v1/households/h-warm/alert-rules', token, { kind: 'daily-energy-above', name: 'Warm', thresholdKwh: 1 });
    // Two readings a minute apart in the last minutes: 1.5 kWh today, none of it seen live.
    const [first, second] = await stampsToday(2, 120_000);
    await f.influx.write([
      `reading,agent=h-warm-agent,device=boiler,household=h-warm,quantity=energy_wh value=5000 ${first}`,
      `reading,agent=h-warm-agent,device=boiler,household=h-warm,quantity=energy_wh value=6500 ${second}`,
    ]);
    await f.restart();
    await eventually(() => hook.received.some((h) => h.json.state === 'firing'), 'firing from warm-start data');
    expect(hook.received[0]?.json).toMatchObject({ value: 1.5 });
  });

  it('when PostgreSQL is unreachable, then the API answers 503 with Retry-After, and recovers', async () => {
    const { token } = await f.addHousehold('h-outage');
    await f.postgresProxy?.cut();
    try {
      const down = await f.api('GET', '/v1/households/h-outage/alerts', token);
      expect(down.status).toBe(503);
      expect(down.json).toMatchObject({ error: 'postgres-unavailable' });
      expect(down.headers.get('retry-after')).toBe('5');
    } finally {
      await f.postgresProxy?.restore();
    }
    await eventually(async () => (await f.api('GET', '/v1/households/h-outage/alerts', token)).status === 200, 'the API answers again');
  });
});
