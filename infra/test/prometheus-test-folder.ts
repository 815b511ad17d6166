// Folders for the Prometheus servers of integration tests. Prometheus runs detached (it must
// outlive what it watches), so a test run killed before its teardown would leave one running for
// good: each folder records its owner, and the next run stops servers whose owner is gone.
import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { isProcessAlive } from '../process-tools.js';
import { stopPrometheus } from '../prometheus.js';

const PREFIX = 'em-prometheus-test-';
const OWNER_FILE = 'owner.pid';

export type PrometheusTestFolder = { readonly dataDir: string; remove(): Promise<void> };

/** Stops stale servers of dead runs, then makes a fresh folder owned by this process. */
export async function createPrometheusTestFolder(): Promise<PrometheusTestFolder> {
  await removeStaleFolders();
  const folder = await mkdtemp(join(tmpdir(), PREFIX));
  await writeFile(join(folder, OWNER_FILE), `${process.pid}\n`);
  const dataDir = join(folder, 'prometheus');
  return {
    dataDir,
    async remove() {
      await stopPrometheus(dataDir);
      await rm(folder, { recursive: true, force: true });
    },
  };
}

async function removeStaleFolders(): Promise<void> {
  const entries = await readdir(tmpdir()).catch(() => []);
  for (const entry of entries.filter((name) => name.startsWith(PREFIX))) {
    const folder = join(tmpdir(), entry);
    const owner = Number((await readFile(join(folder, OWNER_FILE), 'utf8').catch(() => '')).trim());
    if (!owner || (await isProcessAlive(owner))) continue; // being created, or a concurrent run
    await stopPrometheus(join(folder, 'prometheus')).catch((error: unknown) => console.warn(`stale Prometheus in ${folder}: ${String(error)}`));
    await rm(folder, { recursive: true, force: true });
  }
}
