// npm run backup / npm run restore as an operator runs them (processes of their own), against a
// platform's PostgreSQL and InfluxDB started by infra/ in a private data folder: what was backed
// up is what a restored folder's servers hold (readings with their exact values and timestamps,
// users, households, agents), and both commands refuse what they must.
import { createHash } from 'node:crypto';
import { cp, mkdtemp, open, readFile, rm, chmod, mkdir, writeFile } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createInfluxDatabase, dropInfluxDatabase, findInfluxdbProcess, startInfluxdb, stopInfluxdb, type RunningInfluxdb } from '../../influxdb.js';
import { postInfluxQuery } from '../../influx-http.js';
import { findPostgresProcess, startPostgres, stopPostgres, type RunningPostgres } from '../../postgres.js';
import { runPsql } from '../../psql.js';
import { runCommand, type CommandResult } from '../../run-command.js';
import { backupTsmFiles, waitForRestoredShards } from '../influx-shards-restored.js';
import { ensureDemoAccount, DEMO_EMAIL, type DemoAgent } from '../../../services/auth/demo-account.js';
import { writeInflux } from '../../../test/support/influx-database.js';

const repoRoot = fileURLToPath(new URL('../../..', import.meta.url));
let root: string;
const folder = (name: string): string => join(root, name);

/** `npm run backup|restore -- …args` with EM_DATA_DIR, as a process of its own. */
function runTool(tool: 'backup' | 'restore', dataDir: string, args: readonly string[]): Promise<CommandResult> {
  const env = { ...process.env, EM_DATA_DIR: dataDir };
  return runCommand(process.execPath, ['--import', 'tsx', `infra/backup/${tool}-cli.ts`, ...args], { cwd: repoRoot, env, timeoutMs: 120_000 });
}

// Two shard groups (InfluxDB's default is one per week): November 2023 and March 2024.
const READINGS = [
  'reading,household=h-1,agent=sim-a power_w=1234.5,energy_wh=17.25 1700000000123',
  'reading,household=h-1,agent=sim-a power_w=1100,energy_wh=18.5 1700000002123',
  'reading,household=h-2,agent=sim-b power_w=0.001,energy_wh=0 1710000000456',
];
const EXPECTED_ROWS = [
  [1700000000123, 'sim-a', 17.25, 'h-1', 1234.5],
  [1700000002123, 'sim-a', 18.5, 'h-1', 1100],
  [1710000000456, 'sim-b', 0, 'h-2', 0.001],
];
// What the restored auth database must hold exactly as the original did.
const ROWS_SQL = `SELECT string_agg(row, E'\\n' ORDER BY row) FROM (
  SELECT 'user ' || id || ' ' || email || ' ' || password_hash AS row FROM users
  UNION ALL SELECT 'household ' || id || ' ' || name || ' ' || time_zone FROM households
  UNION ALL SELECT 'membership ' || household_id || ' ' || user_id || ' ' || role FROM memberships
  UNION ALL SELECT 'agent ' || id || ' ' || household_id || ' ' || encode(secret_hash, 'hex') FROM agents) r`;

let demoAgents: DemoAgent[];
let sourceRows: string;
let restoredInflux: RunningInfluxdb | undefined;

beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), 'em-backup-'));
  await chmod(root, 0o755); // PostgreSQL runs as `postgres`, which must pass through
  const [influx, postgres] = await Promise.all([
    startInfluxdb({ dataDir: join(folder('platform'), 'influxdb') }),
    startPostgres({ dataDir: join(folder('platform'), 'postgres'), fsync: false }),
  ]);
  demoAgents = await ensureDemoAccount(postgres.url, { agents: 2 }); // migrates the auth schema first
  await createInfluxDatabase(influx.url, 'energymonitor');
  await writeInflux(influx.url, 'energymonitor', READINGS);
  sourceRows = await runPsql(postgres.url, ROWS_SQL);
});

afterAll(async () => {
  for (const dataDir of [folder('platform'), folder('restored'), folder('partial'), folder('restored-no-readings')]) {
    await Promise.allSettled([stopInfluxdb(join(dataDir, 'influxdb')), stopPostgres(join(dataDir, 'postgres'))]);
  }
  await rm(root, { recursive: true, force: true });
});

describe('npm run backup', () => {
  it('when the platform is not running from EM_DATA_DIR, then it refuses with exit code 2 and writes nothing', async () => {
    const result = await runTool('backup', folder('stopped'), ['--out', folder('unused-backup')]);
    expect(result.code, result.stderr).toBe(2);
    expect(result.stderr).toContain('the platform is not running from');
    expect(existsSync(folder('unused-backup'))).toBe(false);
  });

  it('when --out is not empty, then it refuses with exit code 2 and leaves the folder as it was', async () => {
    await mkdir(folder('full'));
    await writeFile(join(folder('full'), 'old.txt'), 'keep me\n');
    const result = await runTool('backup', folder('platform'), ['--out', folder('full')]);
    expect(result.code, result.stderr).toBe(2);
    expect(result.stderr).toContain('is not empty');
    expect(await readFile(join(folder('full'), 'old.txt'), 'utf8')).toBe('keep me\n');
  });
});

describe('npm run backup, then npm run restore into a new folder', () => {
  it('when the restored folder\'s servers start, then they hold the same readings (values and timestamps) and auth rows', async () => {
    const backup = await runTool('backup', folder('platform'), ['--out', folder('backup')]);
    expect(backup.code, backup.stderr).toBe(0);
    const manifest = JSON.parse(await readFile(join(folder('backup'), 'manifest.json'), 'utf8')) as { files: { path: string; part: string; sha256: string }[] };
    expect(manifest.files.map((file) => file.part)).toContain('postgres');
    expect(manifest.files.filter((file) => file.path.endsWith('.tar.gz'))).toHaveLength(2); // one per shard

    const restore = await runTool('restore', folder('restored'), ['--from', folder('backup')]);
    expect(restore.code, restore.stderr).toBe(0);

    const [influx, postgres] = await Promise.all([
      startInfluxdb({ dataDir: join(folder('restored'), 'influxdb') }),
      startPostgres({ dataDir: join(folder('restored'), 'postgres'), fsync: false }),
    ]);
    restoredInflux = influx;
    const series = await postInfluxQuery(influx.url, 'SELECT * FROM reading ORDER BY time', 'energymonitor');
    expect(series[0]?.columns).toEqual(['time', 'agent', 'energy_wh', 'household', 'power_w']);
    expect(series[0]?.values).toEqual(EXPECTED_ROWS);
    const rows = await runPsql(postgres.url, ROWS_SQL);
    expect(rows).toBe(sourceRows);
    expect(rows).toContain(DEMO_EMAIL);
    for (const agent of demoAgents) expect(rows).toContain(`agent ${agent.agentId} ${agent.householdId}`);
  });

  it('when a TSM file of the backup is not in the restored shards, then the wait for InfluxDB to unpack them fails naming it', async () => {
    if (restoredInflux === undefined) throw new Error('the restore test did not run');
    const expected = await backupTsmFiles(join(folder('backup'), 'influxdb'));
    const influxData = join(folder('restored'), 'influxdb', 'data');
    await expect(waitForRestoredShards(restoredInflux.url, influxData, expected, 5_000)).resolves.toBeUndefined();
    const [key, files = []] = [...expected][0] ?? [];
    const withExtra = new Map(expected).set(key ?? '', [...files, '000000009-000000001.tsm:42']);
    await expect(waitForRestoredShards(restoredInflux.url, influxData, withExtra, 300)).rejects.toThrow('000000009-000000001.tsm:42');
  });

  it('when a file of the backup was changed, then restore refuses with exit code 2, names it, and creates no data folder', async () => {
    await cp(folder('backup'), folder('tampered'), { recursive: true });
    const manifest = JSON.parse(await readFile(join(folder('tampered'), 'manifest.json'), 'utf8')) as { files: { path: string }[] };
    const shard = manifest.files.find((file) => file.path.endsWith('.tar.gz'))?.path ?? '';
    const handle = await open(join(folder('tampered'), shard), 'r+');
    const [byte] = (await handle.read(Buffer.alloc(1), 0, 1, 40)).buffer;
    await handle.write(Buffer.from([(byte ?? 0) ^ 0xff]), 0, 1, 40); // same size, one byte flipped
    await handle.close();
    const result = await runTool('restore', folder('never'), ['--from', folder('tampered')]);
    expect(result.code, result.stderr).toBe(2);
    expect(result.stderr).toContain(`${shard} does not match its SHA-256`);
    expect(existsSync(folder('never'))).toBe(false);
  });

  it('when pg_restore fails, then restore exits 1 with its error, says the folder holds a partial restore, and leaves no server running', async () => {
    await cp(folder('backup'), folder('bad-dump'), { recursive: true });
    const manifestPath = join(folder('bad-dump'), 'manifest.json');
    const manifest = JSON.parse(await readFile(manifestPath, 'utf8')) as { postgres: { dump: string }; files: { path: string; bytes: number; sha256: string }[] };
    // Intact by its manifest (so the check passes), but not a dump pg_restore can read.
    const garbage = Buffer.from('not a pg_dump archive\n');
    await writeFile(join(folder('bad-dump'), manifest.postgres.dump), garbage);
    const entry = manifest.files.find((file) => file.path === manifest.postgres.dump);
    if (entry === undefined) throw new Error('no dump in the manifest');
    Object.assign(entry, { bytes: garbage.length, sha256: createHash('sha256').update(garbage).digest('hex') });
    await writeFile(manifestPath, JSON.stringify(manifest));
    const result = await runTool('restore', folder('partial'), ['--from', folder('bad-dump')]);
    expect(result.code, result.stderr).toBe(1);
    expect(result.stderr).toContain('pg_restore');
    expect(result.stderr).toContain('input file does not appear to be a valid archive');
    expect(result.stderr).toContain(`${folder('partial')} holds a partial restore: remove it before restoring again`);
    expect(await findPostgresProcess(join(folder('partial'), 'postgres'))).toBeUndefined();
    expect(await findInfluxdbProcess(join(folder('partial'), 'influxdb'))).toBeUndefined();
  });

  it('when EM_DATA_DIR already holds a platform, then restore refuses with exit code 2', async () => {
    const result = await runTool('restore', folder('platform'), ['--from', folder('backup')]);
    expect(result.code, result.stderr).toBe(2);
    expect(result.stderr).toContain('already holds data');
  });
});

describe('a platform whose InfluxDB holds no database yet (no reading has arrived)', () => {
  it('when it is backed up and restored, then both succeed and the auth rows come back', async () => {
    const { influx, postgres } = await platformServers();
    await dropInfluxDatabase(influx.url, 'energymonitor');
    const backup = await runTool('backup', folder('platform'), ['--out', folder('backup-no-readings')]);
    expect(backup.code, backup.stderr).toBe(0);
    const restore = await runTool('restore', folder('restored-no-readings'), ['--from', folder('backup-no-readings')]);
    expect(restore.code, restore.stderr).toBe(0);
    const restored = await startPostgres({ dataDir: join(folder('restored-no-readings'), 'postgres'), fsync: false });
    expect(await runPsql(restored.url, ROWS_SQL)).toBe(await runPsql(postgres.url, ROWS_SQL));
  });
});

/** The source platform's servers (already running: start finds them). */
async function platformServers(): Promise<{ influx: RunningInfluxdb; postgres: RunningPostgres }> {
  const [influx, postgres] = await Promise.all([
    startInfluxdb({ dataDir: join(folder('platform'), 'influxdb') }),
    startPostgres({ dataDir: join(folder('platform'), 'postgres') }),
  ]);
  return { influx, postgres };
}
