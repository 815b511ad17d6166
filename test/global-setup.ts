// Integration runs get one InfluxDB and one PostgreSQL, started once per run in a private temp
// folder on probed ports with the same code as `infra/cli.ts start`, and removed afterwards.
// Tests isolate themselves with a database each (test/support/influx-database.ts,
// createPostgresDatabase in infra/postgres.ts). See docs/decisions/003-infra-without-docker.md.
import { join } from 'node:path';
import type { TestProject } from 'vitest/node';
import { startInfluxdb } from '../infra/influxdb.js';
import { startPostgres } from '../infra/postgres.js';
import { postgresUrlFor } from '../infra/psql.js';
import { createTestFolder, removeStaleTestFolders, removeTestFolder } from './support/test-folders.js';

export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const startedAt = Date.now();
  await removeStaleTestFolders();
  const folder = await createTestFolder();
  const [influx, postgres] = await Promise.allSettled([
    startInfluxdb({ dataDir: join(folder, 'influxdb') }),
    startPostgres({ dataDir: join(folder, 'postgres'), fsync: false }),
  ]);
  if (influx.status === 'rejected' || postgres.status === 'rejected') {
    await removeTestFolder(folder).catch(() => undefined); // stops whichever did start
    const reasons = [influx, postgres].flatMap((result) => (result.status === 'rejected' ? [String(result.reason)] : []));
    throw new Error(`global setup could not start the test servers:\n${reasons.join('\n')}`);
  }
  project.provide('influxUrl', influx.value.url);
  project.provide('postgresUrl', postgres.value.url);
  project.provide('postgresAdminUrl', postgresUrlFor(postgres.value.url, 'postgres'));
  console.log(
    `[global-setup] InfluxDB ${influx.value.url}, PostgreSQL 127.0.0.1:${postgres.value.port} ` +
      `in ${folder} (${Date.now() - startedAt} ms)`,
  );
  return () => removeTestFolder(folder);
}
