// Where Debian puts PostgreSQL's server tools (/usr/lib/postgresql/<major>/bin), and installing
// them when missing. The newest installed major wins.
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { ensureAptPackage } from './apt.js';

const ROOT = '/usr/lib/postgresql';

/** The bin folder of the newest installed PostgreSQL major that has initdb, if any. */
export function findPostgresBinDir(): string | undefined {
  if (!existsSync(ROOT)) return undefined;
  const majors = readdirSync(ROOT)
    .filter((entry) => /^\d+$/.test(entry) && existsSync(join(ROOT, entry, 'bin', 'initdb')))
    .sort((a, b) => Number(b) - Number(a));
  return majors[0] === undefined ? undefined : join(ROOT, majors[0], 'bin');
}

/** Path of a PostgreSQL tool (initdb, pg_ctl, pg_isready, psql, pg_dump, pg_restore); throws when PostgreSQL is not installed. */
export function postgresTool(name: 'initdb' | 'pg_ctl' | 'pg_isready' | 'psql' | 'pg_dump' | 'pg_restore'): string {
  const binDir = findPostgresBinDir();
  if (binDir === undefined) throw new Error(`PostgreSQL is not installed (no ${ROOT}/*/bin/initdb); run: infra/cli.ts install`);
  return join(binDir, name);
}

export async function ensurePostgresInstalled(): Promise<void> {
  await ensureAptPackage('postgresql', () => findPostgresBinDir() !== undefined);
}
