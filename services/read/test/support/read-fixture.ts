// A read service wired to real servers for integration tests: a per-test InfluxDB database, a
// migrated PostgreSQL database with fixtures, a real token issuer (test/support/test-issuer.ts) and
// optionally a real broker. The clock is settable so rollup horizons can be placed.
import { createTokenVerifier } from '../../../../lib/auth/token-verifier.js';
import { createPgDirectory } from '../../../../lib/auth/pg-directory.js';
import { silentLogger } from '../../../../lib/log.js';
import { createAuthDatabase, type AuthDatabase } from '../../../../test/support/auth-database.js';
import { createTestInfluxDatabase, type TestInfluxDatabase } from '../../../../test/support/influx-database.js';
import { startTestIssuer, type TestIssuer } from '../../../../test/support/test-issuer.js';
import { createReadService, type ReadService } from '../../app.js';
import { createPgHouseholdCatalog } from '../../catalog/pg-household-catalog.js';
import { loadReadConfig } from '../../config.js';
import type { LiveFeed } from '../../live/live-feed.js';

export interface ReadFixture {
  readonly influx: TestInfluxDatabase;
  readonly db: AuthDatabase;
  readonly issuer: TestIssuer;
  readonly service: ReadService;
  readonly baseUrl: string;
  readonly metricsUrl: string;
  /** A sample of the read service's /metrics, or NaN when absent. */
  metric(name: string): Promise<number>;
  setNow(ms: number): void;
  close(): Promise<void>;
}

export async function startReadFixture(options: { influxUrl?: string; env?: Record<string, string>; feed?: () => Promise<LiveFeed>; influx?: TestInfluxDatabase; db?: AuthDatabase; issuer?: TestIssuer } = {}): Promise<ReadFixture> {
  const influx = options.influx ?? (await createTestInfluxDatabase('read'));
  const db = options.db ?? (await createAuthDatabase('read'));
  const issuer = options.issuer ?? (await startTestIssuer());
  let now = Date.now();
  const config = loadReadConfig({
    EM_READ_PORT: '0',
    EM_READ_METRICS_PORT: '0',
    EM_READ_INFLUX_URL: options.influxUrl ?? influx.url,
    EM_READ_INFLUX_DB: influx.database,
    EM_READ_INFLUX_TIMEOUT_MS: '2000',
    EM_READ_RAW_RETENTION: 'INF',
    ...options.env,
  });
  const log = silentLogger();
  const service = await createReadService(config, {
    log,
    now: () => now,
    verifier: createTokenVerifier(issuer.verifierOptions),
    memberships: createPgDirectory(db.pool),
    catalog: createPgHouseholdCatalog(db.pool, log),
    connectFeed: options.feed ?? (() => Promise.resolve(idleFeed())),
  });
  const { port, metricsPort } = await service.start();
  const metricsUrl = `http://127.0.0.1:${metricsPort}/metrics`;
  return {
    influx,
    db,
    issuer,
    service,
    baseUrl: `http://127.0.0.1:${port}`,
    metricsUrl,
    async metric(name) {
      const text = await (await fetch(metricsUrl)).text();
      // Samples may carry the registry's default labels: `name{process="read"} 3`.
      const line = text.split('\n').find((l) => l.startsWith(`${name} `) || l.startsWith(`${name}{`));
      return line === undefined ? Number.NaN : Number(line.slice(line.lastIndexOf(' ') + 1));
    },
    setNow: (ms) => {
      now = ms;
    },
    async close() {
      await service.stop();
      if (options.issuer === undefined) await issuer.close();
      if (options.db === undefined) await db.close();
      if (options.influx === undefined) await influx.drop();
    },
  };
}

/** A feed that never delivers anything (tests that do not need MQTT). */
export function idleFeed(): LiveFeed {
  return { subscribe: () => Promise.resolve(), unsubscribe: () => Promise.resolve(), onMessage: () => undefined, onReconnect: () => undefined, close: () => Promise.resolve() };
}
