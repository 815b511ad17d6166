// The PostgreSQL roles npm start gives the broker, the read and the alerts service
// (services/auth/service-roles.ts), on a real migrated auth database: each service's own queries
// work through its role (the alerts service migrates its schema through it), and no role reads
// signing keys, password hashes, sessions or the audit log, or creates schemas.
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createPgDirectory } from '../../lib/auth/pg-directory.js';
import { silentLogger } from '../../lib/log.js';
import type { LiveFeed } from '../../lib/mqtt/mqtt-feed.js';
import { createAlertsService } from '../../services/alerts/app.js';
import { loadAlertsConfig, type AlertsConfig } from '../../services/alerts/config.js';
import { createAlertsRepository } from '../../services/alerts/data/alerts-repository.js';
import { migrateAlertsDatabase } from '../../services/alerts/data/migrate.js';
import { createOutboxRepository } from '../../services/alerts/data/outbox-repository.js';
import { createRulesRepository } from '../../services/alerts/data/rules-repository.js';
import { createWebhooksRepository } from '../../services/alerts/data/webhooks-repository.js';
import { ensureServiceRoles, SERVICE_NAMES, serviceRoleName, type ServiceDatabaseUrls, type ServiceName } from '../../services/auth/service-roles.js';
import { createPgHouseholdCatalog } from '../../services/read/catalog/pg-household-catalog.js';
import { createAuthDatabase, type AuthDatabase } from '../support/auth-database.js';
import { createTestInfluxDatabase, type TestInfluxDatabase } from '../support/influx-database.js';

let db: AuthDatabase;
let urls: ServiceDatabaseUrls;
const pools = {} as Record<ServiceName, pg.Pool>;
let household: string;
let agentSecret: string;

beforeAll(async () => {
  db = await createAuthDatabase('roles');
  household = await db.addHousehold();
  await db.addMembership(household, await db.addUser('subject-1'), 'owner');
  agentSecret = await db.addAgent('agent-1', household);
  await db.pool.query('INSERT INTO signing_keys (kid, private_jwk, public_jwk) VALUES ($1, $2, $2)', ['k1', { kty: 'OKP' }]);
  urls = await ensureServiceRoles(db.url);
  for (const service of SERVICE_NAMES) pools[service] = new pg.Pool({ connectionString: urls[service], max: 2 });
  // As the alerts service does at every start, through its own role.
  await migrateAlertsDatabase(urls.alerts);
});

afterAll(async () => {
  await Promise.all(SERVICE_NAMES.map((s) => pools[s].end()));
  await db.close();
});

const sqlState = (promise: Promise<unknown>): Promise<unknown> => promise.then(() => 'allowed', (err: { code?: string }) => err.code);

describe('service roles', () => {
  it('when the broker checks an agent, its credential changes and a subject through its role, then the directory answers', async () => {
    const directory = createPgDirectory(pools.broker);
    await expect(directory.verifyAgent('agent-1', agentSecret)).resolves.toMatchObject({ agentId: 'agent-1', householdId: household });
    await db.revokeAgent('agent-1');
    expect((await directory.credentialChangesSince(0)).changes.map((c) => c.agentId)).toEqual(['agent-1']);
    await expect(directory.householdsOf('subject-1')).resolves.toEqual([household]);
  });

  it('when the read service reads a household, its agents and a subject\'s households through its role, then they answer', async () => {
    const catalog = createPgHouseholdCatalog(pools.read, silentLogger());
    await expect(catalog.household(household)).resolves.toMatchObject({ id: household, timeZone: 'UTC', tariff: { kind: 'flat' } });
    await expect(catalog.agents(household, { revokedSinceMs: 0 })).resolves.toEqual([{ id: 'agent-1', name: '', revoked: expect.any(Boolean) as boolean }]);
    await expect(catalog.ping()).resolves.toBe(true);
    await expect(createPgDirectory(pools.read).householdsOf('subject-1')).resolves.toEqual([household]);
  });

  it('when the alerts service migrates again and uses its repositories through its role, then rules, alerts, webhooks and the outbox work', async () => {
    await expect(migrateAlertsDatabase(urls.alerts)).resolves.toEqual([]);
    const owners = await db.pool.query<{ tableowner: string }>("SELECT DISTINCT tableowner FROM pg_tables WHERE schemaname = 'alerts'");
    expect(owners.rows.map((r) => r.tableowner)).toEqual([serviceRoleName(new URL(db.url).pathname.slice(1), 'alerts')]);
    await expect(createPgDirectory(pools.alerts).roleIn('subject-1', household)).resolves.toBe('owner');
    expect((await pools.alerts.query('SELECT 1 FROM households WHERE id = $1', [household])).rowCount).toBe(1);

    const rules = createRulesRepository(pools.alerts);
    const rule = await rules.create(household, { kind: 'power-above', name: 'kettle', enabled: true, thresholdW: 2000, forSeconds: 60 }, 10);
    if (rule === undefined) throw new Error('rule not created');
    expect(await rules.enabled()).toEqual([{ householdId: household, timeZone: 'UTC', rules: [expect.objectContaining({ id: rule.id })] }]);
    await createWebhooksRepository(pools.alerts).put(household, { url: 'http://127.0.0.1:9/hook', enabled: true });
    const alerts = createAlertsRepository(pools.alerts);
    await expect(alerts.record({ type: 'fired', householdId: household, ruleId: rule.id, subject: '', value: 2500, startedAtMs: Date.now() })).resolves.toBe(true);
    const outbox = createOutboxRepository(pools.alerts);
    const [event] = await outbox.claimDue(10, 30_000);
    if (event === undefined) throw new Error('no outbox event');
    await outbox.delivered(event.eventId, 204);
    await expect(outbox.depth()).resolves.toBe(0);
    await alerts.transaction((tx) => rules.remove(tx, household, rule.id));
  });

  it('when any service role reads signing keys, password hashes, sessions, throttle, clients, invitations or the audit log, then permission is denied', async () => {
    const secrets = [
      'SELECT private_jwk FROM signing_keys',
      'SELECT password_hash FROM users',
      'SELECT * FROM users',
      'SELECT email FROM users',
      'SELECT token_hash FROM refresh_tokens',
      'SELECT throttle_key FROM login_failures',
      'SELECT secret_hash FROM service_clients',
      'SELECT token_hash FROM invitations',
      'SELECT event FROM audit_log',
      "UPDATE agents SET revoked_at = now() WHERE id = 'agent-1'",
      "INSERT INTO memberships (household_id, user_id, role) SELECT household_id, user_id, 'owner' FROM memberships",
    ];
    for (const service of SERVICE_NAMES) {
      for (const sql of secrets) expect([service, sql, await sqlState(pools[service].query(sql))]).toEqual([service, sql, '42501']);
    }
    await expect(pools.broker.query('SELECT private_jwk FROM signing_keys')).rejects.toThrow(/permission denied for table signing_keys/);
    // Only the broker checks agent secrets; the alerts service's webhook secrets are its own.
    for (const service of ['read', 'alerts'] as const) expect(await sqlState(pools[service].query('SELECT secret_hash FROM agents'))).toBe('42501');
    for (const service of ['broker', 'read'] as const) expect(await sqlState(pools[service].query('SELECT secret FROM alerts.webhooks'))).toBe('42501');
  });

  it('when any service role creates a schema or a table outside its own schema, then permission is denied', async () => {
    for (const service of SERVICE_NAMES) {
      for (const sql of [`CREATE SCHEMA ${service}_own`, 'CREATE SCHEMA IF NOT EXISTS alerts', `CREATE TABLE public.${service}_own (id int)`]) {
        expect([service, sql, await sqlState(pools[service].query(sql))]).toEqual([service, sql, '42501']);
      }
    }
  });

  it('when the alerts service starts through its role on a fresh database, then it migrates its schema and serves, and again after a restart', async () => {
    const [fresh, influx] = await Promise.all([createAuthDatabase('roles_start'), createTestInfluxDatabase('roles')]);
    try {
      const roleUrls = await ensureServiceRoles(fresh.url);
      const rulesTable = async (): Promise<unknown> => (await fresh.pool.query<{ t: unknown }>("SELECT to_regclass('alerts.rules') AS t")).rows[0]?.t;
      expect(await rulesTable()).toBeNull(); // provisioning made the schema, empty
      for (let start = 0; start < 2; start += 1) {
        const service = await createAlertsService(alertsConfig(roleUrls.alerts, influx), { log: silentLogger(), connectFeed: () => Promise.resolve(idleFeed()) });
        await service.start();
        try {
          expect(await rulesTable()).toBe('alerts.rules');
          expect((await service.app.inject({ method: 'GET', url: '/readyz' })).statusCode).toBe(200);
        } finally {
          await service.stop();
        }
      }
    } finally {
      await Promise.all([fresh.close(), influx.drop()]);
    }
  });

  it('when roles are ensured again (the next start), then the old passwords stop working and a grant added by hand is gone', async () => {
    const other = await createAuthDatabase('roles_again');
    try {
      // An install from before these roles: the alerts tables were made by the superuser.
      await migrateAlertsDatabase(other.url);
      const first = await ensureServiceRoles(other.url);
      const database = new URL(other.url).pathname.slice(1);
      const broker = serviceRoleName(database, 'broker');
      await other.pool.query(`GRANT SELECT (email) ON users TO ${broker}`);
      // An earlier version gave the alerts role CREATE on the database for its migrations.
      await other.pool.query(`GRANT CREATE ON DATABASE ${database} TO ${serviceRoleName(database, 'alerts')}`);
      const second = await ensureServiceRoles(other.url);
      await expect(connect(first.broker)).rejects.toMatchObject({ code: '28P01' });
      const client = await connect(second.broker);
      try {
        expect(await sqlState(client.query('SELECT email FROM users'))).toBe('42501');
      } finally {
        await client.end();
      }
      await expect(migrateAlertsDatabase(second.alerts)).resolves.toEqual([]);
      const alerts = new pg.Pool({ connectionString: second.alerts, max: 1 });
      try {
        await createWebhooksRepository(alerts).put('h-any', { url: 'http://127.0.0.1:9/hook', enabled: true });
        expect(await sqlState(alerts.query('CREATE SCHEMA alerts_more'))).toBe('42501');
      } finally {
        await alerts.end();
      }
    } finally {
      await other.close();
    }
  });
});

function alertsConfig(databaseUrl: string, influx: TestInfluxDatabase): Readonly<AlertsConfig> {
  return loadAlertsConfig({ EM_ALERTS_PORT: '0', EM_ALERTS_METRICS_PORT: '0', EM_ALERTS_DATABASE_URL: databaseUrl, EM_ALERTS_INFLUX_URL: influx.url, EM_ALERTS_INFLUX_DB: influx.database });
}

/** A live feed that is connected and never delivers: these tests are about the database. */
function idleFeed(): LiveFeed {
  return { subscribe: () => Promise.resolve(), unsubscribe: () => Promise.resolve(), onMessage: () => undefined, onReconnect: () => undefined, close: () => Promise.resolve() };
}

async function connect(url: string): Promise<pg.Client> {
  const client = new pg.Client({ connectionString: url });
  try {
    await client.connect();
  } catch (err) {
    await client.end().catch(() => undefined);
    throw err;
  }
  return client;
}
