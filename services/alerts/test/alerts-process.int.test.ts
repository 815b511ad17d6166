// The alerts service as the start command runs it: `services/alerts/main.ts` in its own process,
// configured only through EM_ALERTS_* variables. Killed with SIGKILL while an alert fires, then
// started again: the webhook hears about that alert once.
import { connectAsync, type MqttClient } from 'mqtt';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { spawnService, type SpawnedService } from '../../../lib/process/spawn-service.js';
import { encodeContainer } from '../../../proto/container.js';
import { readingsTopic } from '../../../proto/topics.js';
import { createAuthDatabase, type AuthDatabase } from '../../../test/support/auth-database.js';
import { createTestInfluxDatabase, type TestInfluxDatabase } from '../../../test/support/influx-database.js';
import { startTestBroker, type TestBroker } from '../../../test/support/test-broker.js';
import { startTestIssuer, type TestIssuer } from '../../../test/support/test-issuer.js';
import { eventually } from './support/alerts-fixture.js';
import { startWebhookReceiver, type WebhookReceiver } from './support/webhook-receiver.js';

const H = 'h-proc';
let db: AuthDatabase;
let issuer: TestIssuer;
let influx: TestInfluxDatabase;
let broker: TestBroker;
let hook: WebhookReceiver;
let agent: MqttClient;
let service: SpawnedService | undefined;
let baseUrl = '';
let metricsUrl = '';
let token = '';
let seq = 0;

async function spawnAlerts(): Promise<void> {
  service = await spawnService({
    name: 'alerts',
    entry: 'services/alerts/main.ts',
    readyMessage: 'alerts service started',
    timeoutMs: 60_000,
    env: {
      EM_ALERTS_PORT: '0',
      EM_ALERTS_METRICS_PORT: '0',
      EM_ALERTS_DATABASE_URL: db.url,
      EM_ALERTS_INFLUX_URL: influx.url,
      EM_ALERTS_INFLUX_DB: influx.database,
      EM_ALERTS_AUTH_ISSUER: issuer.issuer,
      EM_ALERTS_AUTH_AUDIENCE: issuer.audience,
      EM_ALERTS_AUTH_JWKS_URL: issuer.jwksUrl,
      // This broker runs without authentication; the token login is covered by alerts.int.test.ts.
      EM_ALERTS_MQTT_URL: broker.mqttUrl,
      EM_ALERTS_TICK_MS: '200',
      EM_ALERTS_WEBHOOK_POLL_MS: '200',
      EM_ALERTS_WEBHOOK_ALLOW_PRIVATE: 'true',
    },
  });
  baseUrl = `http://127.0.0.1:${String(service.ready['port'])}`;
  metricsUrl = `http://127.0.0.1:${String(service.ready['metricsPort'])}`;
}

async function publishPower(watts: number): Promise<void> {
  seq += 1;
  const now = Date.now();
  const payload = encodeContainer({ householdId: H, agentId: 'a-proc', seq, createdAtMs: now, measurements: [{ deviceId: 'dryer', quantity: 'power_w', value: watts, timestampMs: now }] });
  await agent.publishAsync(readingsTopic(H, 'a-proc'), Buffer.from(payload), { qos: 1 });
}

async function api(method: string, path: string, body?: unknown): Promise<{ status: number; json: unknown }> {
  const response = await fetch(`${baseUrl}${path}`, {
    method,
    headers: { authorization: `Bearer ${token}`, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  const text = await response.text();
  return { status: response.status, json: text === '' ? undefined : (JSON.parse(text) as unknown) };
}

beforeAll(async () => {
  [db, issuer, influx, hook] = await Promise.all([createAuthDatabase('alerts_proc'), startTestIssuer(), createTestInfluxDatabase('alerts_proc'), startWebhookReceiver()]);
  broker = await startTestBroker();
  await db.addHousehold(H);
  await db.addMembership(H, await db.addUser('proc-owner'), 'owner');
  token = await issuer.userToken('proc-owner');
  agent = await connectAsync(broker.mqttUrl, { clientId: 'a-proc', reconnectPeriod: 0 });
  await spawnAlerts();
});

afterAll(async () => {
  await service?.stop();
  await agent?.endAsync();
  await broker?.dispose();
  await hook?.close();
  await Promise.all([db?.close(), issuer?.close(), influx?.drop()]);
});

/**
 * What the receiver heard, one entry per event id. Delivery is at least once (services/alerts/README.md):
 * a kill between the receiver's 2xx and the outbox recording it sends the event again when its lease
 * runs out, with the same id and the same bytes, and receivers deduplicate on the id.
 */
function events(): WebhookReceiver['received'] {
  const byId = new Map<string, WebhookReceiver['received'][number]>();
  for (const delivery of hook.received) {
    const first = byId.get(delivery.json.eventId);
    if (first === undefined) byId.set(delivery.json.eventId, delivery);
    else expect(delivery.body).toBe(first.body);
  }
  return [...byId.values()];
}

describe('alerts service process (main.ts)', () => {
  it('when started from its variables, then it is alive, ready and serves metrics', async () => {
    expect((await fetch(`${baseUrl}/healthz`)).status).toBe(200);
    const ready = await fetch(`${baseUrl}/readyz`);
    expect(await ready.json()).toMatchObject({ status: 'ready', postgres: true, influxdb: true, live: true });
    const metrics = await (await fetch(`${metricsUrl}/metrics`)).text();
    for (const name of ['em_alerts_rules_evaluated_total', 'em_alerts_webhook_deliveries_total', 'em_alerts_webhook_outbox_depth']) expect(metrics).toContain(name);
  });

  it('when the process is killed while an alert fires and started again, then the webhook hears of it once (per event id)', async () => {
    expect((await api('PUT', `/v1/households/${H}/alert-webhook`, { url: hook.url })).status).toBe(200);
    expect((await api('POST', `/v1/households/${H}/alert-rules`, { kind: 'power-above', name: 'Dryer', thresholdW: 1000, forSeconds: 1 })).status).toBe(201);
    const pump = setInterval(() => void publishPower(2_000).catch(() => undefined), 250);
    try {
      await eventually(() => hook.received.some((h) => h.json.state === 'firing'), 'firing before the kill');
      await service?.kill9();
      await spawnAlerts();
      await new Promise((resolve) => setTimeout(resolve, 2_500));
    } finally {
      clearInterval(pump);
    }
    expect(events().filter((h) => h.json.state === 'firing')).toHaveLength(1);
    await publishPower(100);
    await eventually(() => hook.received.some((h) => h.json.state === 'resolved'), 'resolved after the restart');
    expect(events().map((h) => h.json.state)).toEqual(['firing', 'resolved']);
  });
});
