// An alerts service wired to real servers for integration tests: the run's PostgreSQL (a migrated
// auth database with fixtures), a per-test InfluxDB database, a real token issuer and a real broker
// with authentication required; the service's MQTT feed logs in with a service token.
import { connectAsync, type MqttClient } from 'mqtt';
import { createCachedDirectory } from '../../../../lib/auth/cached-directory.js';
import { createPgDirectory } from '../../../../lib/auth/pg-directory.js';
import { createTokenVerifier } from '../../../../lib/auth/token-verifier.js';
import { silentLogger } from '../../../../lib/log.js';
import { connectMqttFeed } from '../../../../lib/mqtt/mqtt-feed.js';
import { encodeContainer, type Measurement } from '../../../../proto/container.js';
import { readingsTopic } from '../../../../proto/topics.js';
import { createAuthDatabase, type AuthDatabase } from '../../../../test/support/auth-database.js';
import { createTestInfluxDatabase, type TestInfluxDatabase } from '../../../../test/support/influx-database.js';
import { startTestBroker, type TestBroker } from '../../../../test/support/test-broker.js';
import { startTcpProxy, type TcpProxy } from '../../../../test/support/tcp-proxy.js';
import { startTestIssuer, type TestIssuer } from '../../../../test/support/test-issuer.js';
import { createAlertsService, type AlertsService } from '../../app.js';
import { loadAlertsConfig } from '../../config.js';

export interface TestAgent {
  readonly householdId: string;
  publish(readings: [device: string, quantity: Measurement['quantity'], value: number][]): Promise<void>;
  close(): Promise<void>;
}

export interface AlertsFixture {
  readonly db: AuthDatabase;
  readonly issuer: TestIssuer;
  readonly broker: TestBroker;
  readonly influx: TestInfluxDatabase;
  /** Between the service and PostgreSQL when started with `proxyPostgres` (cut it for an outage). */
  readonly postgresProxy: TcpProxy | undefined;
  readonly baseUrl: () => string;
  /** A household with one member `{householdId}-owner` and a connected agent; returns the member's token. */
  addHousehold(householdId: string): Promise<{ token: string; agent: TestAgent }>;
  /** One more connected agent of an existing household. */
  addAgent(householdId: string, agentId: string): Promise<TestAgent>;
  api(method: string, path: string, token: string, body?: unknown): Promise<{ status: number; json: unknown; headers: Headers }>;
  /** Sum of the metric's samples (NaN when there are none); with `labels`, of those carrying them. */
  metric(name: string, labels?: Record<string, string>): Promise<number>;
  /** Stops the service and starts a new one on the same databases (a restart). */
  restart(): Promise<void>;
  service: () => AlertsService;
  close(): Promise<void>;
}

export async function startAlertsFixture(env: Record<string, string> = {}, options: { readonly proxyPostgres?: boolean } = {}): Promise<AlertsFixture> {
  const [db, issuer, influx] = await Promise.all([createAuthDatabase('alerts'), startTestIssuer(), createTestInfluxDatabase('alerts')]);
  const directory = createPgDirectory(db.pool);
  const cached = createCachedDirectory(directory, directory);
  const broker = await startTestBroker(
    { EM_BROKER_AUTH: 'required', EM_BROKER_AUTH_DATABASE_URL: db.url },
    { agentDirectory: cached, memberships: cached, verifier: createTokenVerifier(issuer.verifierOptions) },
  );
  const agents: TestAgent[] = [];
  const postgresProxy = options.proxyPostgres === true ? await startTcpProxy(Number(new URL(db.url).port)) : undefined;
  const serviceDbUrl = (() => {
    if (postgresProxy === undefined) return db.url;
    const url = new URL(db.url);
    url.port = String(postgresProxy.port);
    return url.toString();
  })();
  let service: AlertsService | undefined;
  let port = 0;
  let metricsPort = 0;
  const start = async (): Promise<void> => {
    const config = loadAlertsConfig({
      EM_ALERTS_PORT: '0',
      EM_ALERTS_METRICS_PORT: '0',
      EM_ALERTS_DATABASE_URL: serviceDbUrl,
      EM_ALERTS_INFLUX_URL: influx.url,
      EM_ALERTS_INFLUX_DB: influx.database,
      EM_ALERTS_TICK_MS: '200',
      EM_ALERTS_WEBHOOK_POLL_MS: '200',
      EM_ALERTS_WEBHOOK_BACKOFF_MS: '200',
      EM_ALERTS_WEBHOOK_TIMEOUT_MS: '2000',
      EM_ALERTS_WEBHOOK_ALLOW_PRIVATE: 'true', // the receiver listens on 127.0.0.1
      ...env,
    });
    service = await createAlertsService(config, {
      log: silentLogger(),
      verifier: createTokenVerifier(issuer.verifierOptions),
      connectFeed: () => connectMqttFeed({ url: broker.mqttUrl, username: 'token', passwordProvider: () => issuer.serviceToken('alerts-service', 'readings:subscribe-all'), clientIdPrefix: 'alerts' }),
    });
    ({ port, metricsPort } = await service.start());
  };
  await start();
  const addAgent = async (householdId: string, agentId: string): Promise<TestAgent> => {
    const secret = await db.addAgent(agentId, householdId);
    const client: MqttClient = await connectAsync(broker.mqttUrl, { clientId: agentId, username: agentId, password: secret, reconnectPeriod: 0 });
    let seq = 0;
    let lastMs = 0;
    const agent: TestAgent = {
      householdId,
      async publish(readings) {
        seq += 1;
        // Each container a millisecond after the last at least, as a real meter's would be: the
        // engine takes one counter reading per series and timestamp (a second one at the same ms
        // is a replay), and a PUBACK can come back within the same millisecond.
        const now = Math.max(Date.now(), lastMs + 1);
        lastMs = now;
        const measurements = readings.map(([deviceId, quantity, value]) => ({ deviceId, quantity, value, timestampMs: now }));
        const payload = encodeContainer({ householdId, agentId, seq, createdAtMs: now, measurements });
        await client.publishAsync(readingsTopic(householdId, agentId), Buffer.from(payload), { qos: 1 });
      },
      close: () => client.endAsync(),
    };
    agents.push(agent);
    return agent;
  };
  return {
    db,
    issuer,
    broker,
    influx,
    postgresProxy,
    baseUrl: () => `http://127.0.0.1:${port}`,
    service: () => service as AlertsService,
    async addHousehold(householdId) {
      await db.addHousehold(householdId);
      const userId = await db.addUser(`${householdId}-owner`);
      await db.addMembership(householdId, userId, 'owner');
      const agent = await addAgent(householdId, `${householdId}-agent`);
      return { token: await issuer.userToken(`${householdId}-owner`), agent };
    },
    addAgent,
    async api(method, path, token, body) {
      const response = await fetch(`http://127.0.0.1:${port}${path}`, {
        method,
        headers: { authorization: `Bearer ${token}`, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
        ...(body === undefined ? {} : { body: JSON.stringify(body) }),
      });
      const text = await response.text();
      return { status: response.status, json: text === '' ? undefined : (JSON.parse(text) as unknown), headers: response.headers };
    },
    async metric(name, labels = {}) {
      const text = await (await fetch(`http://127.0.0.1:${metricsPort}/metrics`)).text();
      const wanted = Object.entries(labels).map(([k, v]) => `${k}="${v}"`);
      const lines = text
        .split('\n')
        .filter((l) => l.startsWith(`${name} `) || l.startsWith(`${name}{`))
        .filter((l) => wanted.every((pair) => ['{', ','].some((before) => [',', '}'].some((after) => l.includes(`${before}${pair}${after}`)))));
      return lines.length === 0 ? Number.NaN : lines.reduce((sum, l) => sum + Number(l.slice(l.lastIndexOf(' ') + 1)), 0);
    },
    async restart() {
      await service?.stop();
      await start();
    },
    async close() {
      for (const a of agents) await a.close().catch(() => undefined);
      await service?.stop();
      await broker.dispose();
      await postgresProxy?.close();
      await Promise.all([db.close(), issuer.close(), influx.drop()]);
    },
  };
}

/** Polls `check` every 100 ms until it is true; fails naming `what` after `ms`. */
/** Publishes the readings every 250 ms until the returned stop() is called. */
export function keepPublishing(agent: TestAgent, readings: Parameters<TestAgent['publish']>[0]): () => Promise<void> {
  let running = true;
  const loop = (async () => {
    while (running) {
      await agent.publish(readings);
      await new Promise((resolve) => setTimeout(resolve, 250));
    }
  })();
  return async () => {
    running = false;
    await loop;
  };
}

export async function eventually(check: () => boolean | Promise<boolean>, what: string, ms = 20_000): Promise<void> {
  const deadline = Date.now() + ms;
  while (Date.now() < deadline) {
    if (await check()) return;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(`never happened within ${ms} ms: ${what}`);
}
