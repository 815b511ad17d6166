// One `npm start` per data folder. Two at once would both start InfluxDB and PostgreSQL in the
// same folders, hand out ports, rewrite the fleet's credentials file and rotate the service
// clients' secrets and the roles' passwords under each other's running services. The second start
// must refuse before it touches anything, naming the first.
//
// The lock is lib/fs/directory-lock.ts on the data folder: the kernel frees it when the holding
// process ends in any way, kill -9 included, so a stale lock is taken over with no clean-up (the
// InfluxDB and PostgreSQL a killed start left running are reused: infra/influxdb.ts,
// infra/postgres.ts). Folder identity is device and inode: a symlink to the folder is the folder.
import { mkdirSync } from 'node:fs';
import { resolve } from 'node:path';
import { ConfigError } from '../lib/config/load-config.js';
import { lockDirectory, type DirectoryLock } from '../lib/fs/directory-lock.js';

/**
 * Another start holds the data folder: nothing was started or changed. A ConfigError, as for two
 * agents on one folder (device-agent/data-dir.ts): the entry point exits with code 2.
 */
export class PlatformRunningError extends ConfigError {
  override readonly name = 'PlatformRunningError';
}

/**
 * Creates the data folder if missing (nothing inside it) and takes it for this process until it
 * exits. Rejects with PlatformRunningError naming the folder and the holder's PID while another
 * start holds it.
 */
export async function lockDataDir(dataDir: string): Promise<DirectoryLock> {
  const dir = resolve(dataDir);
  mkdirSync(dir, { recursive: true });
  return lockDirectory(
    dir,
    'platform',
    (pid) => new PlatformRunningError(`Energymonitor is already running from ${dir} (pid ${pid}); stop it first or set EM_DATA_DIR`),
  );
}
