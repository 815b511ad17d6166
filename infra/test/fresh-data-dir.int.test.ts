// `infra/cli.ts start` into a data folder that does not exist yet. Regression test for the
// acceptance finding "as root, start all into a new folder fails: the CLI creates it 0700 and
// PostgreSQL (run as `postgres`) cannot enter it".
import { chmod, mkdtemp, readFile, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
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
