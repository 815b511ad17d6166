// The read side as bench:live and `perftest --mode live-fanout` run it, each part a process of its
// own as deployed: InfluxDB and PostgreSQL in a private folder, a token issuer, the broker
// (journal, no writer) and the read service. Households 1..watched have one member each (subject
// `viewer-i`), so every viewer stream is an authorised homeowner's.
import { chmodSync } from 'node:fs';
import pg from 'pg';
import { createInfluxDatabase, dropInfluxDatabase, startInfluxdb, stopInfluxdb } from '../../infra/influxdb.js';
import { startPostgres, stopPostgres } from '../../infra/postgres.js';
import { spawnService, type SpawnedService } from '../../lib/process/spawn-service.js';
import { LOAD_TEST_BROKER_ENV } from '../lib/load-test-broker-env.js';
import { migrateAuthDatabase } from '../../services/auth/migrate.js';
import { loadReadConfig, type ReadConfig } from '../../services/read/config.js';
import type { TempDir } from '../../test/support/temp-dir.js';
import { startTestIssuer, type TestIssuer } from '../../test/support/test-issuer.js';

export interface LiveStackOptions {
  readonly dir: TempDir;
  /** Households with a viewer account: householdId(1) … householdId(watched). */
  readonly watched: number;
  readonly householdId: (i: number) => string;
  /** One more household, with member `viewer-0` (bench:live's history household). */
  readonly extraHousehold?: { readonly id: string; readonly timeZone: string };
  /** Runs once InfluxDB's database exists, before the services start (history fixtures). */
  readonly prepareInflux?: (influxUrl: string, readConfig: Readonly<ReadConfig>) => Promise<void>;
  /**
   * Servers to use instead of private ones (tests: the suite's shared servers): a fresh
   * PostgreSQL database, migrated here, and an InfluxDB in which `influxDatabase` is created and
   * dropped again at stop.
   */
  readonly existing?: { readonly postgresUrl: string; readonly influxUrl: string; readonly influxDatabase: string };
}

export interface LiveStack {
  readonly issuer: TestIssuer;
  readonly broker: SpawnedService;
  readonly read: SpawnedService;
  readonly brokerUrl: string;
  readonly brokerMetricsUrl: string;
  readonly readUrl: string;
  readonly readMetricsUrl: string;
  /** A token of viewer-i (member of householdId(i); viewer-0: the extra household). */
  viewerToken(i: number): Promise<string>;
  stop(): Promise<void>;
}

export async function startLiveStack(options: LiveStackOptions): Promise<LiveStack> {
  const { dir } = options;
  chmodSync(dir.path, 0o711); // PostgreSQL runs as its own OS user and must reach its folder inside
  const services: SpawnedService[] = [];
  let issuer: TestIssuer | undefined;
  const { existing } = options;
  const stop = async (): Promise<void> => {
    for (const service of services.reverse()) await service.stop().catch(() => undefined);
    await issuer?.close().catch(() => undefined);
    if (existing !== undefined) {
      await dropInfluxDatabase(existing.influxUrl, existing.influxDatabase).catch(() => undefined);
      return;
    }
    await stopInfluxdb(dir.join('influxdb')).catch(() => undefined);
    await stopPostgres(dir.join('postgres')).catch(() => undefined);
  };
  try {
    const [influx, postgres, startedIssuer] = await Promise.all([
      existing === undefined ? startInfluxdb({ dataDir: dir.join('influxdb') }) : { url: existing.influxUrl },
      existing === undefined ? startPostgres({ dataDir: dir.join('postgres'), fsync: false }) : { url: existing.postgresUrl },
      startTestIssuer(),
    ]);
    issuer = startedIssuer;
    await migrateAuthDatabase(postgres.url);
    await seedViewerAccounts(postgres.url, options);

    const readEnv = {
      EM_READ_PORT: '0',
      EM_READ_METRICS_PORT: '0',
      EM_READ_INFLUX_URL: influx.url,
      EM_READ_DATABASE_URL: postgres.url,
      EM_READ_AUTH_ISSUER: issuer.issuer,
      EM_READ_AUTH_JWKS_URL: issuer.jwksUrl,
      // bench:live writes a year of raw history; raw kept forever so nothing is dropped on write.
      EM_READ_RAW_RETENTION: 'INF',
      // Benchmarks open many streams per viewer token (viewers / watched households each).
      EM_READ_SSE_MAX_STREAMS_PER_VIEWER: '1000000',
      ...(existing === undefined ? {} : { EM_READ_INFLUX_DB: existing.influxDatabase }),
    };
    const readConfig = loadReadConfig(readEnv);
    await createInfluxDatabase(influx.url, readConfig.influx.database);
    await options.prepareInflux?.(influx.url, readConfig);

    const broker = await spawnService({
      name: 'broker',
      entry: 'broker/main.ts',
      readyMessage: 'broker listening',
      logFile: dir.join('broker.log'),
      env: { EM_BROKER_AUTH: 'disabled', EM_BROKER_MQTT_PORT: '0', EM_BROKER_WS_PORT: '0', EM_BROKER_METRICS_PORT: '0', EM_BROKER_JOURNAL_PATH: dir.join('journal'), EM_BROKER_DEAD_LETTER_PATH: dir.join('dead'), ...LOAD_TEST_BROKER_ENV },
    });
    services.push(broker);
    const brokerUrl = `mqtt://127.0.0.1:${Number(broker.ready.mqttPort)}`;
    const read = await spawnService({ name: 'read', entry: 'services/read/main.ts', readyMessage: 'read service started', logFile: dir.join('read.log'), env: { ...readEnv, EM_READ_MQTT_URL: brokerUrl } });
    services.push(read);
    const tokenIssuer = issuer;
    return {
      issuer,
      broker,
      read,
      brokerUrl,
      brokerMetricsUrl: `http://127.0.0.1:${Number(broker.ready.metricsPort)}/metrics`,
      readUrl: `http://127.0.0.1:${Number(read.ready.port)}`,
      readMetricsUrl: `http://127.0.0.1:${Number(read.ready.metricsPort)}/metrics`,
      viewerToken: (i) => tokenIssuer.userToken(`viewer-${i}`, { expiresInS: 3600 }),
      stop,
    };
  } catch (err) {
    await stop();
    throw err;
  }
}

async function seedViewerAccounts(postgresUrl: string, options: LiveStackOptions): Promise<void> {
  const pool = new pg.Pool({ connectionString: postgresUrl, max: 2 });
  try {
    const ids = Array.from({ length: options.watched }, (_, i) => options.householdId(i + 1));
    await pool.query(`INSERT INTO households (id, name) SELECT id, 'bench ' || id FROM unnest($1::text[]) id`, [ids]);
    await pool.query(`INSERT INTO users (subject, email, email_normalized) SELECT 'viewer-' || i, 'viewer-' || i || '@bench.test', 'viewer-' || i || '@bench.test' FROM generate_series(0, $1) i`, [options.watched]);
    await pool.query(
      `INSERT INTO memberships (household_id, user_id, role)
         SELECT ($1::text[])[substr(u.subject, 8)::int], u.id, 'member' FROM users u WHERE u.subject LIKE 'viewer-%' AND u.subject <> 'viewer-0'`,
      [ids],
    );
    const extra = options.extraHousehold;
    if (extra !== undefined) {
      await pool.query(`INSERT INTO households (id, name, time_zone) VALUES ($1::text, $1::text, $2)`, [extra.id, extra.timeZone]);
      await pool.query(`INSERT INTO memberships (household_id, user_id, role) SELECT $1, id, 'member' FROM users WHERE subject = 'viewer-0'`, [extra.id]);
    }
  } finally {
    await pool.end();
  }
}
