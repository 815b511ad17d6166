import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { afterAll, describe, expect, it } from 'vitest';
import { makeTempDir } from '../../test/support/temp-dir.js';
import { OutputLocationError, prepareOutputFile, prepareOutputFolder } from './output-location.js';

describe('output location, checked before a run', () => {
  const dir = makeTempDir('output-location');
  afterAll(() => dir.remove());
  const file = dir.join('a-file');
  writeFileSync(file, 'keep me');

  it('when the folder is missing, then it is created, levels deep, and no probe file is left', async () => {
    const target = dir.join('results/deeper/still');
    expect(await prepareOutputFolder(target, '--results-dir')).toBe(target);
    expect(readdirSync(target)).toEqual([]);
  });

  it('when a part of the path is a file, then a message naming the option and why', async () => {
    await expect(prepareOutputFolder(`${file}/x`, '--results-dir')).rejects.toThrow(
      new OutputLocationError(`--results-dir ${file}/x: cannot write results there (a part of the path is a file, ENOTDIR)`),
    );
  });

  it('when the folder cannot be created under an existing parent (/proc), then it fails at once instead of looping', async () => {
    const started = Date.now();
    await expect(prepareOutputFolder('/proc/x/y', '--results-dir')).rejects.toThrow(/cannot write results there \(.*ENOENT\)/);
    expect(Date.now() - started).toBeLessThan(2_000);
  }, 5_000);

  it('when a report file is checked, then its folder is created and the file left as it was', async () => {
    const report = dir.join('reports/fault-report.json');
    expect(await prepareOutputFile(report, '--report')).toBe(report);
    expect(existsSync(report)).toBe(false);
    expect(await prepareOutputFile(file, '--report')).toBe(file);
    expect(readFileSync(file, 'utf8')).toBe('keep me');
  });

  it('when the report path is a folder or under a file, then it says so', async () => {
    mkdirSync(dir.join('a-folder'));
    await expect(prepareOutputFile(dir.join('a-folder'), '--report')).rejects.toThrow(/cannot write it \(it is a folder, EISDIR\)/);
    await expect(prepareOutputFile(`${file}/r.json`, '--report')).rejects.toThrow(`--report ${file}/r.json: cannot write in its folder ${file} (a part of the path is a file, ENOTDIR)`);
  });
});
