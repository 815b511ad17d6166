// Restores a backup (backup.ts) into a new data folder: checks every file against the manifest
// first, then starts the folder's PostgreSQL and InfluxDB (infra/), restores the auth database and
// the InfluxDB databases into them, and stops them again. `npm start` on the folder then runs the
// restored platform. What is not restored, and why: docs/operations.md.
import { join, resolve } from 'node:path';
import { lockDataDir } from '../../scripts/platform-lock.js';
import { startInfluxdb, stopInfluxdb } from '../influxdb.js';
import { serviceDataDir } from '../infra-state.js';
import { startPostgres, stopPostgres } from '../postgres.js';
import { BackupRefusedError, BackupToolError } from './backup-errors.js';
import { checkBackup, type BackupManifest } from './backup-manifest.js';
import { entriesOf } from './folder-entries.js';
import { restoreInfluxdb, restorePostgres } from './backup-tools.js';
import { backupTsmFiles, waitForRestoredShards } from './influx-shards-restored.js';

export type RestoreOptions = {
  /** The backup folder (backup.ts). */
  fromDir: string;
  /** The data folder to restore into (EM_DATA_DIR): it must not exist yet, or be empty. */
  dataDir: string;
  log?: (line: string) => void;
};

// How long InfluxDB may take to unpack the shards after influxd restore returns: it writes them to
// disk at its own pace; the limit only stops a wait for a server that has failed.
const INFLUX_UNPACK_TIMEOUT_MS = 3_600_000;

export async function restoreBackup(options: RestoreOptions): Promise<BackupManifest> {
  const [fromDir, dataDir] = [resolve(options.fromDir), resolve(options.dataDir)];
  const log = options.log ?? (() => undefined);
  log(`checking ${fromDir} against its manifest`);
  const { manifest, problems } = await checkBackup(fromDir);
  if (manifest === undefined || problems.length > 0) {
    throw new BackupRefusedError(`${fromDir} is not a complete, intact backup; nothing was restored:\n  ${problems.join('\n  ')}`);
  }
  await refuseUnlessNew(dataDir);
  const lock = await lockDataDir(dataDir).catch((err: unknown) => {
    throw new BackupRefusedError(err instanceof Error ? err.message : String(err));
  });
  try {
    await refuseUnlessNew(dataDir); // a start may have begun between the first look and the lock
    await restoreInto(dataDir, fromDir, manifest, log);
  } finally {
    await lock.release();
  }
  return manifest;
}

async function refuseUnlessNew(dataDir: string): Promise<void> {
  const entries = await entriesOf(dataDir);
  if (entries.length > 0) {
    throw new BackupRefusedError(
      `${dataDir} already holds data (${entries.slice(0, 5).join(', ')}${entries.length > 5 ? ', …' : ''}): restore goes only into a new data folder, ` +
        'never over a platform (set EM_DATA_DIR to a folder that does not exist yet)',
    );
  }
}

async function restoreInto(dataDir: string, fromDir: string, manifest: BackupManifest, log: (line: string) => void): Promise<void> {
  const [postgresDir, influxDir] = [serviceDataDir(dataDir, 'postgres'), serviceDataDir(dataDir, 'influxdb')];
  try {
    log(`starting PostgreSQL and InfluxDB in ${dataDir}`);
    const [postgres, influx] = await Promise.all([startPostgres({ dataDir: postgresDir }), startInfluxdb({ dataDir: influxDir })]);
    if (postgres.database !== manifest.postgres.database) {
      throw new BackupToolError(`the backup holds database ${manifest.postgres.database}; this platform's is ${postgres.database}`);
    }
    log(`restoring the auth database (pg_restore)`);
    await restorePostgres(postgres.url, join(fromDir, manifest.postgres.dump));
    const influxBackup = join(fromDir, manifest.influxdb.folder);
    log(`restoring InfluxDB (influxd restore -portable)`);
    const expectedShards = await backupTsmFiles(influxBackup);
    await restoreInfluxdb(influx.rpcPort, influxBackup).catch((err: unknown) => {
      // A backup of an InfluxDB without databases (no reading had arrived) changes nothing, which
      // influxd restore reports as an error; the write service creates the database when it first writes.
      if (expectedShards.size === 0 && /DB metadata not changed/.test(String(err))) return;
      throw err;
    });
    await waitForRestoredShards(influx.url, join(influxDir, 'data'), expectedShards, INFLUX_UNPACK_TIMEOUT_MS);
  } catch (err) {
    const message = err instanceof Error ? err.message : String(err);
    const failure = `${message}\n${dataDir} holds a partial restore: remove it before restoring again`;
    throw err instanceof BackupRefusedError ? new BackupRefusedError(failure) : new BackupToolError(failure);
  } finally {
    log('stopping PostgreSQL and InfluxDB');
    await Promise.allSettled([stopPostgres(postgresDir), stopInfluxdb(influxDir)]);
  }
}
