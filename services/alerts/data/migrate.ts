// Applies the alerts schema's migrations (node-pg-migrate, plain SQL in ../migrations), recorded in
// alerts.pgmigrations so they never mix with the auth service's own list. Idempotent; an advisory
// lock lets several replicas start at once.
//
// The service's role owns schema `alerts` (provisioned by services/auth/service-roles.ts) and may not
// create schemas: PostgreSQL checks CREATE on the database before it looks at IF NOT EXISTS, so
// neither node-pg-migrate nor a migration says CREATE SCHEMA. The schema is created here only when
// it is missing, which takes that privilege (a superuser's database, no service roles).
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import { runner } from 'node-pg-migrate';
import type { Logger } from '../../../lib/log.js';

const ALERTS_SCHEMA = 'alerts';

export const MIGRATIONS_DIR = fileURLToPath(new URL('../migrations', import.meta.url));

export async function migrateAlertsDatabase(databaseUrl: string, log?: Logger): Promise<string[]> {
  await ensureSchema(databaseUrl);
  const applied = await runner({
    databaseUrl,
    dir: MIGRATIONS_DIR,
    direction: 'up',
    schema: ALERTS_SCHEMA,
    createSchema: false,
    migrationsSchema: ALERTS_SCHEMA,
    createMigrationsSchema: false,
    migrationsTable: 'pgmigrations',
    checkOrder: true,
    singleTransaction: true,
    advisoryLockMode: 'wait',
    log: () => undefined,
  });
  const names = applied.map((m) => m.name);
  if (names.length > 0) log?.info({ migrations: names }, 'alerts database migrated');
  return names;
}

/** Creates the schema when it does not exist; two replicas doing so at once both succeed. */
async function ensureSchema(databaseUrl: string): Promise<void> {
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    const schema = client.escapeIdentifier(ALERTS_SCHEMA);
    await client.query(`DO $$ BEGIN
      IF to_regnamespace(${client.escapeLiteral(ALERTS_SCHEMA)}) IS NULL THEN CREATE SCHEMA ${schema}; END IF;
    EXCEPTION WHEN duplicate_schema OR unique_violation THEN NULL;
    END $$`);
  } finally {
    await client.end();
  }
}
