// Applies the auth schema's versioned migrations (node-pg-migrate, plain SQL files in ./migrations).
// Idempotent: applied migrations are recorded in `pgmigrations`; an advisory lock lets several
// processes start at once and only one migrates.
import { fileURLToPath } from 'node:url';
import { runner } from 'node-pg-migrate';
import type { Logger } from '../../lib/log.js';

export const MIGRATIONS_DIR = fileURLToPath(new URL('./migrations', import.meta.url));

export interface MigrateOptions {
  readonly log?: Logger;
}

/** Brings the database at `databaseUrl` up to the newest migration; returns the names applied now. */
export async function migrateAuthDatabase(databaseUrl: string, options: MigrateOptions = {}): Promise<string[]> {
  const applied = await runner({
    databaseUrl,
    dir: MIGRATIONS_DIR,
    direction: 'up',
    migrationsTable: 'pgmigrations',
    checkOrder: true,
    singleTransaction: true,
    advisoryLockMode: 'wait',
    log: () => undefined,
  });
  const names = applied.map((m) => m.name);
  if (names.length > 0) options.log?.info({ migrations: names }, 'auth database migrated');
  return names;
}
