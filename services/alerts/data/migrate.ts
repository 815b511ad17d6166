// Applies the alerts schema's migrations (node-pg-migrate, plain SQL in ../migrations), recorded in
// alerts.pgmigrations so they never mix with the auth service's own list. Idempotent; an advisory
// lock lets several replicas start at once.
import { fileURLToPath } from 'node:url';
import { runner } from 'node-pg-migrate';
import type { Logger } from '../../../lib/log.js';

export const MIGRATIONS_DIR = fileURLToPath(new URL('../migrations', import.meta.url));

export async function migrateAlertsDatabase(databaseUrl: string, log?: Logger): Promise<string[]> {
  const applied = await runner({
    databaseUrl,
    dir: MIGRATIONS_DIR,
    direction: 'up',
    schema: 'alerts',
    createSchema: true,
    migrationsSchema: 'alerts',
    createMigrationsSchema: true,
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
