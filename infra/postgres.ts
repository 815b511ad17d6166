// A private PostgreSQL (Debian's binaries) in its own folder on a probed loopback port, with a
// generated superuser password and scram-sha-256 auth. Start is idempotent: initdb only when the
// cluster is missing, reuse when postmaster.pid names a live postmaster of this cluster (waiting
// for it to answer if it is busy: see recorded-server.ts). See postgres-folder.ts for the layout.
import { existsSync } from 'node:fs';
import { appendFile, readFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { findFreePort } from './free-port.js';
import { ensurePostgresInstalled, postgresTool } from './postgres-bin.js';
import {
  POSTGRES_OS_USER,
  postgresFiles,
  preparePostgresFolder,
  readOrCreatePassword,
  readPassword,
  writePostgresSettings,
} from './postgres-folder.js';
import { formatPostgresUrl, postgresUrlFor, runPsql, type PostgresConnection } from './psql.js';
import { PortInUseError, readLogTail, signal } from './process-tools.js';
import { isServerProcess, ServerNotAnsweringError, waitForAnswer, type ServerProcess } from './recorded-server.js';
import { runChecked, runCommand } from './run-command.js';

export { ensurePostgresInstalled };
export type { PostgresConnection };

export type RunningPostgres = {
  host: '127.0.0.1';
  port: number;
  user: string;
  password: string;
  database: string;
  /** postgres://user:pass@127.0.0.1:port/db */
  url: string;
  dataDir: string;
  stop(): Promise<void>;
};

export type StartPostgresOptions = {
  dataDir: string;
  /** 0 or undefined: probe a free port. Ignored when the folder's server is already running. */
  port?: number;
  /** false for tests: fsync, synchronous_commit and full_page_writes off. Default true. Ignored when already running. */
  fsync?: boolean;
  /**
   * How long a postmaster already running in the folder may take to accept connections (it may be
   * starting, recovering or busy) before start fails. Default 30 s.
   */
  answerTimeoutMs?: number;
};

/** The folder's postmaster as postmaster.pid records it, answering or not. */
export type PostgresProcess = { pid: number; port: number; dataDir: string };

const SUPERUSER = 'postgres';
const DATABASE = 'energymonitor';
const asPostgres = (dataDir: string) => ({ asUser: POSTGRES_OS_USER, cwd: dataDir });
const ANSWER_TIMEOUT_MS = 30_000;
// pg_ctl starts the postmaster as `<bin>/postgres -D <pgdata>`, and the postmaster keeps that title.
const postmaster = (dataDir: string): ServerProcess => ({ program: 'postgres', configArg: postgresFiles(dataDir).pgdata });

export async function startPostgres(options: StartPostgresOptions): Promise<RunningPostgres> {
  await ensurePostgresInstalled();
  const dataDir = resolve(options.dataDir);
  const fsync = options.fsync ?? true;
  await preparePostgresFolder(dataDir);
  const recorded = await findPostgresProcess(dataDir);
  const reused = recorded && (await awaitAnswer(recorded, options.answerTimeoutMs ?? ANSWER_TIMEOUT_MS));
  const running = reused || (await initAndStart(dataDir, options.port, fsync));
  await createPostgresDatabase(running, DATABASE);
  return running;
}

/** The server of `dataDir` when its postmaster runs and accepts connections, else undefined. */
export async function findRunningPostgres(dataDir: string): Promise<RunningPostgres | undefined> {
  const found = await findPostgresProcess(dataDir);
  if (!found || !(await acceptsConnections(found.port))) return undefined;
  return handle(found.dataDir, found.port, await readPassword(found.dataDir));
}

/**
 * The live postmaster of `dataDir`'s cluster, whether it answers or not. Like pg_ctl status it
 * reads postmaster.pid; unlike it, it checks that the pid is this cluster's postmaster, not a reused one.
 */
export async function findPostgresProcess(dataDir: string): Promise<PostgresProcess | undefined> {
  const absolute = resolve(dataDir);
  const { pgdata } = postgresFiles(absolute);
  const lines = (await readFile(join(pgdata, 'postmaster.pid'), 'utf8').catch(() => '')).split('\n');
  // postmaster.pid: line 1 the pid, line 4 the port it listens on.
  const [pid, port] = [Number(lines[0]), Number(lines[3])];
  if (!(await isServerProcess(pid, postmaster(absolute)))) return undefined;
  if (!Number.isInteger(port) || port <= 0) throw new Error(`cannot read the port from ${pgdata}/postmaster.pid`);
  return { pid, port, dataDir: absolute };
}

/** `pg_ctl stop -m fast` for the server of `dataDir`, answering or not; a no-op when it is not running. */
export async function stopPostgres(dataDir: string): Promise<void> {
  const found = await findPostgresProcess(dataDir);
  if (!found) return;
  // A stopped postmaster (SIGSTOP, a debugger) would leave pg_ctl's SIGINT pending until it times out.
  signal(found.pid, 'SIGCONT');
  const { pgdata } = postgresFiles(found.dataDir);
  await runChecked(postgresTool('pg_ctl'), ['stop', '-D', pgdata, '-m', 'fast', '-w', '-t', '30'], asPostgres(found.dataDir));
}

/** Creates database `name` unless it exists; returns its URL (same server and superuser). */
export async function createPostgresDatabase(connection: PostgresConnection, name: string): Promise<string> {
  if (!/^[a-z_][a-z0-9_]{0,62}$/.test(name)) {
    throw new Error(`invalid PostgreSQL database name ${JSON.stringify(name)}: use a-z, 0-9 and _`);
  }
  const admin = postgresUrlFor(connection.url, 'postgres');
  if ((await runPsql(admin, `SELECT 1 FROM pg_database WHERE datname = '${name}'`)) !== '1') {
    try {
      await runPsql(admin, `CREATE DATABASE "${name}"`);
    } catch (error) {
      // Another caller created it between our check and our CREATE: that is the outcome we want.
      if (!/already exists/.test(String(error))) throw error;
    }
  }
  return postgresUrlFor(connection.url, name);
}

async function initAndStart(dataDir: string, fixedPort: number | undefined, fsync: boolean): Promise<RunningPostgres> {
  const initialised = existsSync(join(postgresFiles(dataDir).pgdata, 'PG_VERSION'));
  // An existing cluster keeps its password; a new one gets a fresh one before initdb reads it.
  const password = initialised ? await readPassword(dataDir) : await readOrCreatePassword(dataDir);
  if (!initialised) await initCluster(dataDir, fsync);
  // A probed port can be grabbed before postgres binds it; probe again rather than fail.
  for (let attempt = 1; ; attempt += 1) {
    const port = fixedPort || (await findFreePort());
    try {
      await startCluster(dataDir, port, fsync);
      return handle(dataDir, port, password);
    } catch (error) {
      // Retrying cannot help when the taken port is the one the caller insisted on.
      if (!(error instanceof PortInUseError) || fixedPort || attempt >= 3) throw error;
    }
  }
}

/** initdb; PG_VERSION then marks a finished cluster (initdb removes its folder on failure). */
async function initCluster(dataDir: string, fsync: boolean): Promise<void> {
  const { pgdata, password } = postgresFiles(dataDir);
  const args = ['-D', pgdata, '-U', SUPERUSER, `--pwfile=${password}`, '--auth=scram-sha-256', '-E', 'UTF8', '--no-locale'];
  await runChecked(postgresTool('initdb'), [...args, '--no-instructions', ...(fsync ? [] : ['--no-sync'])], asPostgres(dataDir));
  const conf = join(pgdata, 'postgresql.conf');
  if (!(await readFile(conf, 'utf8')).includes("include 'energymonitor.conf'")) {
    await appendFile(conf, "\n# Port, socket and durability come from here (infra/postgres.ts).\ninclude 'energymonitor.conf'\n");
  }
}

async function startCluster(dataDir: string, port: number, fsync: boolean): Promise<void> {
  const { pgdata, log } = postgresFiles(dataDir);
  await writePostgresSettings(dataDir, port, fsync);
  const args = ['start', '-D', pgdata, '-l', log, '-w', '-t', '30'];
  const result = await runCommand(postgresTool('pg_ctl'), args, asPostgres(dataDir));
  if (result.code === 0) return;
  const tail = await readLogTail(log);
  const message = `PostgreSQL did not start in ${dataDir} (pg_ctl exit ${result.code}: ${result.stdout.trim()} ${result.stderr.trim()}). Tail of ${log}:\n${tail}`;
  throw /could not bind|already in use/i.test(tail) ? new PortInUseError(message) : new Error(message);
}

/** The running server once it accepts connections; undefined when it exits meanwhile; throws when it stays silent. */
async function awaitAnswer({ pid, port, dataDir }: PostgresProcess, timeoutMs: number): Promise<RunningPostgres | undefined> {
  const outcome = await waitForAnswer(pid, postmaster(dataDir), () => acceptsConnections(port), timeoutMs);
  if (outcome === 'exited') return undefined;
  if (outcome === 'silent') throw new ServerNotAnsweringError(pid, 'postgres', dataDir, `connections on port ${port}`);
  return handle(dataDir, port, await readPassword(dataDir));
}

/** pg_isready: the server answers a connection attempt within a second (even if only to refuse a login). */
async function acceptsConnections(port: number): Promise<boolean> {
  const { code } = await runCommand(postgresTool('pg_isready'), ['-q', '-h', '127.0.0.1', '-p', String(port), '-t', '1'], { timeoutMs: 5_000 });
  return code === 0;
}

function handle(dataDir: string, port: number, password: string): RunningPostgres {
  const host = '127.0.0.1';
  return {
    host,
    port,
    user: SUPERUSER,
    password,
    database: DATABASE,
    url: formatPostgresUrl({ host, port, user: SUPERUSER, password, database: DATABASE }),
    dataDir,
    stop: () => stopPostgres(dataDir),
  };
}
