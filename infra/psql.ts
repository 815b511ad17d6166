// SQL from infra and tests without a driver dependency: psql over TCP, password via PGPASSWORD
// (never on the command line, where `ps` would show it).
import { postgresTool } from './postgres-bin.js';
import { runChecked } from './run-command.js';

export type PostgresConnection = { url: string };

export type PostgresUrlParts = { host: string; port: number; user: string; password: string; database: string };

export function parsePostgresUrl(url: string): PostgresUrlParts {
  const parsed = new URL(url);
  if (parsed.protocol !== 'postgres:' && parsed.protocol !== 'postgresql:') {
    throw new Error(`not a postgres:// URL: ${parsed.protocol}`);
  }
  return {
    host: parsed.hostname,
    port: Number(parsed.port || 5432),
    user: decodeURIComponent(parsed.username),
    password: decodeURIComponent(parsed.password),
    database: decodeURIComponent(parsed.pathname.slice(1)),
  };
}

export function formatPostgresUrl({ host, port, user, password, database }: PostgresUrlParts): string {
  const enc = encodeURIComponent;
  return `postgres://${enc(user)}:${enc(password)}@${host}:${port}/${enc(database)}`;
}

/** The same server and credentials, another database. */
export function postgresUrlFor(url: string, database: string): string {
  return formatPostgresUrl({ ...parsePostgresUrl(url), database });
}

/**
 * Runs SQL with psql (unaligned, tuples only, stop on first error) and returns stdout, trimmed:
 * one line per row, columns separated by `|`. Several statements in one call share a transaction,
 * so CREATE DATABASE must be sent alone.
 */
export async function runPsql(url: string, sql: string): Promise<string> {
  const { host, port, user, password, database } = parsePostgresUrl(url);
  const env = {
    ...process.env,
    PGHOST: host,
    PGPORT: String(port),
    PGUSER: user,
    PGPASSWORD: password,
    PGDATABASE: database,
    PGCONNECT_TIMEOUT: '10',
  };
  const { stdout } = await runChecked(postgresTool('psql'), ['-X', '-q', '-A', '-t', '-v', 'ON_ERROR_STOP=1', '-c', sql], { env });
  return stdout.trim();
}
