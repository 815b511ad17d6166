// A backup of the platform running from a data folder: the auth database (pg_dump, one consistent
// snapshot) and every InfluxDB database (influxd backup -portable, shard by shard), taken through
// the running servers, plus manifest.json. What is left out and why: docs/operations.md.
import { chmod, readFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { findRunningInfluxdb, type RunningInfluxdb } from '../influxdb.js';
import { serviceDataDir } from '../infra-state.js';
import { findRunningPostgres, type RunningPostgres } from '../postgres.js';
import { makePrivateFolder } from '../private-folder.js';
import { runPsql } from '../psql.js';
import { BackupRefusedError } from './backup-errors.js';
import { describeFile, listFiles, writeManifest, type BackupManifest } from './backup-manifest.js';
import { entriesOf } from './folder-entries.js';
import { backupInfluxdb, dumpPostgres, pgDumpVersion } from './backup-tools.js';

export type BackupOptions = {
  /** The platform's data folder (EM_DATA_DIR). */
  dataDir: string;
  /** Where the backup goes: a folder that does not exist yet, or an empty one. */
  outDir: string;
  /** Progress for humans. */
  log?: (line: string) => void;
};

const DUMP_PATH = 'postgres/auth.dump';
const INFLUX_FOLDER = 'influxdb';

export async function createBackup(options: BackupOptions): Promise<BackupManifest> {
  const [dataDir, outDir] = [resolve(options.dataDir), resolve(options.outDir)];
  const log = options.log ?? (() => undefined);
  await refuseUnlessEmpty(outDir);
  const { postgres, influx } = await findPlatform(dataDir);
  // The dump holds password hashes, agents' secret hashes and the token signing keys: owner only.
  await makePrivateFolder(outDir);
  await makePrivateFolder(join(outDir, 'postgres'));
  log(`dumping the auth database (PostgreSQL on port ${postgres.port})`);
  await dumpPostgres(postgres.url, join(outDir, DUMP_PATH));
  log(`backing up InfluxDB (RPC port ${influx.rpcPort})`);
  await backupInfluxdb(influx.rpcPort, join(outDir, INFLUX_FOLDER));
  for (const path of await listFiles(outDir)) await chmod(join(outDir, path), 0o600);
  const influxFiles = await listFiles(outDir, join(outDir, INFLUX_FOLDER));
  const manifest: BackupManifest = {
    format: 'energymonitor-backup',
    formatVersion: 1,
    createdAt: new Date().toISOString(),
    sourceDataDir: dataDir,
    versions: {
      energymonitor: await ourVersion(),
      postgresServer: await runPsql(postgres.url, 'SHOW server_version'),
      pgDump: await pgDumpVersion(),
      influxdb: await influxVersion(influx.url),
    },
    postgres: { database: postgres.database, dump: DUMP_PATH },
    influxdb: { folder: INFLUX_FOLDER },
    files: [
      await describeFile(outDir, DUMP_PATH, 'postgres', `pg_dump --format=custom of database ${postgres.database}: users, households, agents, sessions, signing keys, alert rules`),
      ...(await Promise.all(influxFiles.map((path) => describeFile(outDir, path, 'influxdb', influxFileWhat(path))))),
    ],
  };
  await writeManifest(outDir, manifest);
  return manifest;
}

async function refuseUnlessEmpty(outDir: string): Promise<void> {
  const entries = await entriesOf(outDir);
  if (entries.length > 0) throw new BackupRefusedError(`${outDir} is not empty (${entries.length} entries): give a new or empty folder, a backup never mixes with another`);
}

async function findPlatform(dataDir: string): Promise<{ postgres: RunningPostgres; influx: RunningInfluxdb }> {
  const [postgres, influx] = await Promise.all([
    findRunningPostgres(serviceDataDir(dataDir, 'postgres')),
    findRunningInfluxdb(serviceDataDir(dataDir, 'influxdb')),
  ]);
  const down = [postgres ? [] : ['PostgreSQL'], influx ? [] : ['InfluxDB']].flat();
  if (postgres === undefined || influx === undefined) {
    throw new BackupRefusedError(
      `the platform is not running from ${dataDir}: ${down.join(' and ')} ${down.length > 1 ? 'do' : 'does'} not answer. ` +
        'A backup is taken through the running servers: start it (npm start, with EM_DATA_DIR set to this folder) or set EM_DATA_DIR to the folder it runs from',
    );
  }
  return { postgres, influx };
}

function influxFileWhat(path: string): string {
  if (path.endsWith('.manifest')) return 'influxd backup -portable: its manifest (databases, retention policies, shards)';
  if (path.endsWith('.meta')) return 'influxd backup -portable: the meta store (databases, retention policies, shard groups)';
  return 'influxd backup -portable: one shard (TSM files, tar.gz)';
}

async function ourVersion(): Promise<string> {
  const text = await readFile(new URL('../../package.json', import.meta.url), 'utf8');
  const { version } = JSON.parse(text) as { version?: unknown };
  return typeof version === 'string' ? version : 'unknown';
}

/** The version InfluxDB names in every answer's X-Influxdb-Version header. */
async function influxVersion(url: string): Promise<string> {
  const response = await fetch(`${url}/ping`, { signal: AbortSignal.timeout(5_000) });
  await response.body?.cancel();
  return response.headers.get('x-influxdb-version') ?? 'unknown';
}
