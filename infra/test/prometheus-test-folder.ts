// Folders for the Prometheus servers of integration tests. Prometheus runs detached (it must
// outlive what it watches), so a test run killed before its teardown would leave one running for
// good: each folder records its owner, and the next run stops servers whose owner is gone.
// A test may keep other servers in `sibling(name)`: a private influxd (`influxdb`) or Alertmanager
// (`alertmanager`) there are stopped with the folder too.
import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { stopAlertmanager } from '../alertmanager.js';
import { stopInfluxdb } from '../influxdb.js';
import { isProcessAlive } from '../process-tools.js';
import { stopPrometheus } from '../prometheus.js';

const PREFIX = 'em-prometheus-test-';
const OWNER_FILE = 'owner.pid';

export type PrometheusTestFolder = {
  readonly dataDir: string;
  /** Another folder inside this one, for a server the test starts next to Prometheus. */
  sibling(name: string): string;
  remove(): Promise<void>;
};

/** Stops stale servers of dead runs, then makes a fresh folder owned by this process. */
export async function createPrometheusTestFolder(): Promise<PrometheusTestFolder> {
  await removeStaleFolders();
  const folder = await mkdtemp(join(tmpdir(), PREFIX));
  await writeFile(join(folder, OWNER_FILE), `${process.pid}\n`);
  const dataDir = join(folder, 'prometheus');
  return {
    dataDir,
    sibling: (name) => join(folder, name),
    remove: () => removeFolder(folder),
  };
}

async function removeStaleFolders(): Promise<void> {
  const entries = await readdir(tmpdir()).catch(() => []);
  for (const entry of entries.filter((name) => name.startsWith(PREFIX))) {
    const folder = join(tmpdir(), entry);
    const owner = Number((await readFile(join(folder, OWNER_FILE), 'utf8').catch(() => '')).trim());
    if (!owner || (await isProcessAlive(owner))) continue; // being created, or a concurrent run
    await removeFolder(folder).catch((error: unknown) => console.warn(`stale test servers in ${folder}: ${String(error)}`));
  }
}

async function removeFolder(folder: string): Promise<void> {
  await Promise.all([stopPrometheus(join(folder, 'prometheus')), stopInfluxdb(join(folder, 'influxdb')), stopAlertmanager(join(folder, 'alertmanager'))]);
  await rm(folder, { recursive: true, force: true });
}
