// checkBackup: what restore refuses before it touches anything (no servers needed).
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { makeTempDir, type TempDir } from '../../../test/support/temp-dir.js';
import { checkBackup, describeFile, writeManifest, type BackupManifest } from '../backup-manifest.js';

let dir: TempDir;

async function writeBackup(): Promise<BackupManifest> {
  mkdirSync(dir.join('postgres'));
  mkdirSync(dir.join('influxdb'));
  writeFileSync(dir.join('postgres', 'auth.dump'), 'dump');
  writeFileSync(dir.join('influxdb', 'x.s1.tar.gz'), 'shard');
  const manifest: BackupManifest = {
    format: 'energymonitor-backup',
    formatVersion: 1,
    createdAt: '2026-11-24T03:15:00.000Z',
    sourceDataDir: '/srv/data',
    versions: { energymonitor: '0.1.0', postgresServer: '15', pgDump: '15', influxdb: '1.6.7' },
    postgres: { database: 'energymonitor', dump: 'postgres/auth.dump' },
    influxdb: { folder: 'influxdb' },
    files: [await describeFile(dir.path, 'postgres/auth.dump', 'postgres', 'dump'), await describeFile(dir.path, 'influxdb/x.s1.tar.gz', 'influxdb', 'shard')],
  };
  await writeManifest(dir.path, manifest);
  return manifest;
}

beforeEach(() => {
  dir = makeTempDir('backup-manifest');
});
afterEach(() => dir.remove());

describe('checkBackup', () => {
  it('when every file matches, then there is no problem', async () => {
    await writeBackup();
    expect((await checkBackup(dir.path)).problems).toEqual([]);
  });

  it('when there is no manifest, then that is the problem', async () => {
    expect((await checkBackup(dir.path)).problems).toEqual([expect.stringContaining('manifest.json: ENOENT')]);
  });

  it('when a file is missing, has another size, or was not written by the backup, then each is named', async () => {
    await writeBackup();
    rmSync(dir.join('influxdb', 'x.s1.tar.gz'));
    writeFileSync(dir.join('postgres', 'auth.dump'), 'dump, longer');
    writeFileSync(dir.join('influxdb', 'x.s2.tar.gz'), 'a stray shard');
    expect((await checkBackup(dir.path)).problems).toEqual([
      'postgres/auth.dump has 12 bytes, the manifest says 4',
      'influxdb/x.s1.tar.gz is missing',
      'influxdb/x.s2.tar.gz is not in the manifest',
    ]);
  });

  it('when the manifest names a path outside the backup, then it is refused without reading it', async () => {
    const manifest = await writeBackup();
    await writeManifest(dir.path, { ...manifest, files: [...manifest.files, { ...manifest.files[0]!, path: '../../etc/passwd' }] });
    expect((await checkBackup(dir.path)).problems).toEqual(['../../etc/passwd: not a path inside the backup']);
  });
});
