// Private temp folders for one test run's servers. A run killed before its teardown leaves servers
// behind; the next run stops them and removes their folder, once the owning process is gone.
import { chmod, mkdtemp, readFile, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { stopInfluxdb } from '../../infra/influxdb.js';
import { stopPostgres } from '../../infra/postgres.js';
import { isProcessAlive } from '../../infra/process-tools.js';

const PREFIX = 'energymonitor-test-';
const OWNER_FILE = 'owner.pid';

/** A fresh folder under os.tmpdir(), traversable by the postgres OS user, owned by this process. */
export async function createTestFolder(): Promise<string> {
  const folder = await mkdtemp(join(tmpdir(), PREFIX));
  await chmod(folder, 0o755); // mkdtemp makes it 0700; postgres must be able to enter it
  await writeFile(join(folder, OWNER_FILE), `${process.pid}\n`);
  return folder;
}

/** Stops the servers of `folder` and removes it; keeps it when a server refuses to stop. */
export async function removeTestFolder(folder: string): Promise<void> {
  const results = await Promise.allSettled([stopInfluxdb(join(folder, 'influxdb')), stopPostgres(join(folder, 'postgres'))]);
  const failed = results.find((result): result is PromiseRejectedResult => result.status === 'rejected');
  if (failed) throw new Error(`could not stop the test servers in ${folder}: ${String(failed.reason)}`);
  await rm(folder, { recursive: true, force: true });
}

/** Cleans up after earlier runs that died without teardown; never fails the current run. */
export async function removeStaleTestFolders(): Promise<void> {
  const entries = await readdir(tmpdir()).catch(() => []);
  for (const entry of entries.filter((name) => name.startsWith(PREFIX))) {
    const folder = join(tmpdir(), entry);
    const owner = Number((await readFile(join(folder, OWNER_FILE), 'utf8').catch(() => '')).trim());
    // No owner file yet: another run may be creating it right now. A live owner: a concurrent run.
    if (!owner || (await isProcessAlive(owner))) continue;
    await removeTestFolder(folder).catch((error: unknown) => console.warn(`[global-setup] ${String(error)}`));
  }
}
