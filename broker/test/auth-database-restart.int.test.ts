// The broker process (broker/main.ts) when the auth database ends its connections: a PostgreSQL
// restart, a failover or an idle timeout in a database proxy. Acceptance report: the idle
// connection the credential watch keeps in its pool emitted 'error' with no listener, the broker
// died with the server's "terminating connection due to administrator command", and `npm start`
// stopped the whole platform with it.
import { connectAsync } from 'mqtt';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { spawnService, type SpawnedService } from '../../lib/process/spawn-service.js';
import { createAuthDatabase, type AuthDatabase } from '../../test/support/auth-database.js';
import { makeTempDir, type TempDir } from '../../test/support/temp-dir.js';

let db: AuthDatabase;
let dir: TempDir;
let broker: SpawnedService;
const secrets = new Map<string, string>();

beforeAll(async () => {
  db = await createAuthDatabase('broker_db_restart');
  const household = await db.addHousehold();
  for (const agent of ['a-before', 'a-after']) secrets.set(agent, await db.addAgent(agent, household));
  dir = makeTempDir('broker-db-restart');
  broker = await spawnService({
    name: 'broker',
    entry: 'broker/main.ts',
    readyMessage: 'broker listening',
    env: {
      EM_BROKER_AUTH: 'required',
      EM_BROKER_AUTH_DATABASE_URL: db.url,
      EM_BROKER_AUTH_CREDENTIAL_POLL_MS: '200',
      EM_BROKER_MQTT_PORT: '0',
      EM_BROKER_WS_PORT: '0',
      EM_BROKER_METRICS_PORT: '0',
      EM_BROKER_JOURNAL_PATH: dir.join('journal'),
      EM_BROKER_DEAD_LETTER_PATH: dir.join('dead-letters'),
    },
  });
});
afterAll(async () => {
  await broker.stop();
  if (!db.pool.ended) await db.close();
  dir.remove();
});

const mqttUrl = (): string => `mqtt://127.0.0.1:${String(broker.ready.mqttPort)}`;
const connectAgent = (agentId: string) =>
  connectAsync(mqttUrl(), { clientId: agentId, username: agentId, password: secrets.get(agentId) ?? '', reconnectPeriod: 0, connectTimeout: 5_000 });

/** Ends every session on the database, as `pg_ctl stop -m fast` or a failover would. */
async function terminateBackends(database: string): Promise<number> {
  const admin = new pg.Client({ connectionString: inject('postgresUrl') });
  await admin.connect();
  try {
    const { rowCount } = await admin.query('SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = $1 AND pid <> pg_backend_pid()', [database]);
    return rowCount ?? 0;
  } finally {
    await admin.end();
  }
}

describe('broker and a restarting auth database', () => {
  it('when the database ends the broker\'s connections, then the broker stays up and authenticates the next agent once the database answers again', async () => {
    const before = await connectAgent('a-before');
    // The credential watch polls every 200 ms, so the broker's pool holds an idle connection now.
    await new Promise((resolve) => setTimeout(resolve, 500));
    // The fixtures' own pool is closed first: its connections would be ended too.
    await db.pool.end();
    expect(await terminateBackends(new URL(db.url).pathname.slice(1))).toBeGreaterThan(0);
    await new Promise((resolve) => setTimeout(resolve, 1_000));

    expect(broker.child.exitCode).toBeNull();
    const after = await connectAgent('a-after');
    expect(after.connected).toBe(true);
    await Promise.all([before.endAsync(true), after.endAsync(true)]);
  });
});
