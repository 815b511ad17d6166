// The native tools behind backup and restore: pg_dump and pg_restore (Debian's, the server's major),
// influxd backup and restore. Each runs against a server over TCP on loopback, never on its files.
// A failure is a BackupToolError carrying the tool's stderr, which says what went wrong better than we could.
import { existsSync } from 'node:fs';
import { INFLUXD_PATHS } from '../influxdb.js';
import { postgresTool } from '../postgres-bin.js';
import { parsePostgresUrl } from '../psql.js';
import { runCommand } from '../run-command.js';
import { BackupToolError } from './backup-errors.js';

// A dump or a restore of a large database takes as long as it takes; the limit only stops a hang.
const TOOL_TIMEOUT_MS = 24 * 3600 * 1000;

const influxd = (): string => INFLUXD_PATHS.find((path) => existsSync(path)) ?? 'influxd';

/** libpq's variables for `url`: the password never appears on a command line, where `ps` would show it. */
function libpqEnv(url: string): NodeJS.ProcessEnv {
  const { host, port, user, password, database } = parsePostgresUrl(url);
  return { ...process.env, PGHOST: host, PGPORT: String(port), PGUSER: user, PGPASSWORD: password, PGDATABASE: database, PGCONNECT_TIMEOUT: '10' };
}

async function run(file: string, args: readonly string[], env?: NodeJS.ProcessEnv): Promise<string> {
  const result = await runCommand(file, args, { env, timeoutMs: TOOL_TIMEOUT_MS });
  if (result.code !== 0) throw new BackupToolError(`${file} ${args.join(' ')} failed (exit ${result.code}):\n${result.stderr.trim() || result.stdout.trim()}`);
  return result.stdout;
}

/** pg_dump in custom format (compressed, restorable table by table); one transaction, so one consistent snapshot. */
export async function dumpPostgres(url: string, outFile: string): Promise<void> {
  await run(postgresTool('pg_dump'), ['--format=custom', '--file', outFile], libpqEnv(url));
}

/**
 * pg_restore into the empty database of `url`, in one transaction (all or nothing). Owners and
 * grants are left out: they name the service roles (broker, read, alerts), which live outside the
 * database, and `npm start` creates those roles and sets exactly their grants and the alerts
 * schema's owner at every start (services/auth/service-roles.ts).
 */
export async function restorePostgres(url: string, dumpFile: string): Promise<void> {
  const args = ['--dbname', parsePostgresUrl(url).database, '--no-owner', '--no-privileges', '--exit-on-error', '--single-transaction', dumpFile];
  await run(postgresTool('pg_restore'), args, libpqEnv(url));
}

export async function pgDumpVersion(): Promise<string> {
  return (await run(postgresTool('pg_dump'), ['--version'])).trim();
}

/** `influxd backup -portable` of every database, through the RPC port (which influxdb-config.ts binds to loopback). */
export async function backupInfluxdb(rpcPort: number, outDir: string): Promise<void> {
  await run(influxd(), ['backup', '-portable', '-host', `127.0.0.1:${rpcPort}`, outDir]);
}

/** `influxd restore -portable`: creates the backup's databases, which must not exist yet, and sends their shards. */
export async function restoreInfluxdb(rpcPort: number, fromDir: string): Promise<void> {
  await run(influxd(), ['restore', '-portable', '-host', `127.0.0.1:${rpcPort}`, fromDir]);
}
