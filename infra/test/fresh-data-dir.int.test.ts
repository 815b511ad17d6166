// `infra/cli.ts start` into a data folder that does not exist yet, and a `start all` that fails
// part-way. Regression tests for the acceptance finding "as root, start all into a new folder
// fails: the CLI creates it 0700 and PostgreSQL (run as `postgres`) cannot enter it, leaving
// InfluxDB running and unrecorded".
import { existsSync } from 'node:fs';
import { chmod, mkdir, mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { findInfluxdbProcess } from '../influxdb.js';
import { isProcessAlive } from '../process-tools.js';
import { isRoot } from '../run-command.js';
import { runInfraCli } from './run-infra-cli.js';

let root: string;
const dataDirs: string[] = [];

beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), 'em-infra-fresh-'));
  await chmod(root, 0o755); // as it would be: /tmp, a home directory, a checkout
});

afterAll(async () => {
  for (const dataDir of dataDirs) await runInfraCli(['stop', 'all', '--data-dir', dataDir]);
  await rm(root, { recursive: true, force: true });
});

const modeOf = async (path: string): Promise<string> => ((await stat(path)).mode & 0o777).toString(8);

async function postgresUid(): Promise<number> {
  const line = (await readFile('/etc/passwd', 'utf8')).split('\n').find((entry) => entry.startsWith('postgres:'));
  return Number(line?.split(':')[2]);
}

describe('infra/cli.ts start into a new folder', () => {
  it('when `start all` targets a folder that does not exist (umask 077), then both start; new parents are 0711, server folders 0700, and as root the cluster folder belongs to postgres', async () => {
    const dataDir = join(root, 'new', 'data');
    dataDirs.push(dataDir);
    const result = await runInfraCli(['start', 'all', '--data-dir', dataDir], { umask: '077' });
    expect(result.code, result.stderr).toBe(0);
    const paths = ['new', 'new/data', 'new/data/influxdb', 'new/data/postgres', 'new/data/infra', 'new/data/infra/state.json'];
    const modes = Object.fromEntries(await Promise.all(paths.map(async (path): Promise<[string, string]> => [path, await modeOf(join(root, path))])));
    expect(modes).toEqual({
      new: '711',
      'new/data': '711',
      'new/data/influxdb': '700',
      'new/data/postgres': '700',
      'new/data/infra': '700',
      'new/data/infra/state.json': '600',
    });
    if (isRoot()) expect((await stat(join(dataDir, 'postgres'))).uid).toBe(await postgresUid());
    const state = JSON.parse(await readFile(join(dataDir, 'infra', 'state.json'), 'utf8')) as Record<string, unknown>;
    expect(Object.keys(state).sort()).toEqual(['influxdb', 'postgres']);
  });
});

describe('infra/cli.ts start all failing part-way', () => {
  // A regular file where PostgreSQL's folder belongs: its start fails after InfluxDB's succeeded.
  async function folderWhosePostgresFails(name: string): Promise<string> {
    const dataDir = join(root, name);
    dataDirs.push(dataDir);
    await mkdir(dataDir);
    await writeFile(join(dataDir, 'postgres'), 'not a folder\n');
    return dataDir;
  }

  it('when PostgreSQL fails, then the InfluxDB this command started is stopped again and nothing is recorded', async () => {
    const dataDir = await folderWhosePostgresFails('fails');
    const result = await runInfraCli(['start', 'all', '--data-dir', dataDir]);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('infra: stopping influxdb again, which this command started, since the start failed');
    expect(await findInfluxdbProcess(join(dataDir, 'influxdb'))).toBeUndefined();
    expect(existsSync(join(dataDir, 'influxdb', 'influxd.pid.json'))).toBe(false);
    expect(existsSync(join(dataDir, 'infra', 'state.json'))).toBe(false);
  });

  it('when PostgreSQL fails, then an InfluxDB that was already running is left running and recorded', async () => {
    const dataDir = await folderWhosePostgresFails('fails-later');
    expect((await runInfraCli(['start', 'influxdb', '--data-dir', dataDir])).code).toBe(0);
    const influxd = await findInfluxdbProcess(join(dataDir, 'influxdb'));
    const result = await runInfraCli(['start', 'all', '--data-dir', dataDir]);
    expect(result.code).toBe(1);
    expect(result.stderr).not.toContain('stopping influxdb');
    expect(await isProcessAlive(influxd?.pid ?? 0)).toBe(true);
    const state = JSON.parse(await readFile(join(dataDir, 'infra', 'state.json'), 'utf8')) as { influxdb?: { pid: number }; postgres?: unknown };
    expect({ influxdbPid: state.influxdb?.pid, postgres: state.postgres }).toEqual({ influxdbPid: influxd?.pid, postgres: undefined });
  });
});
