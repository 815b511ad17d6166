// Values test/global-setup.ts hands to every integration test file via inject('…').
import 'vitest';

declare module 'vitest' {
  export interface ProvidedContext {
    /** InfluxDB 1.x HTTP API, http://127.0.0.1:PORT. Make a database per test (support/influx-database.ts). */
    influxUrl: string;
    /** postgres://…/energymonitor as superuser. Per-test databases: createPostgresDatabase (infra/postgres.ts). */
    postgresUrl: string;
    /** Same server and superuser, database `postgres` (for CREATE/DROP DATABASE). */
    postgresAdminUrl: string;
  }
}
