// perftest, bench:faults and bench:disk-flush check where they write before they run: a bad
// --results-dir, --report or --dir ends them at once with exit code 2, not with a stack trace after
// the run or a hang.
import { spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { afterAll, describe, expect, it } from 'vitest';
import { makeTempDir } from '../../../test/support/temp-dir.js';

const run = (entry: string, args: string[], timeout = 60_000) =>
  spawnSync(process.execPath, ['--import', 'tsx', entry, ...args], { encoding: 'utf8', timeout });

describe('output location checked before the run', () => {
  const dir = makeTempDir('output-before-run');
  afterAll(() => dir.remove());
  const file = dir.join('a-file');
  writeFileSync(file, '');

  it('when perftest --results-dir cannot be written, then it exits 2 with a message before starting anything', () => {
    for (const resultsDir of [`${file}/x`, '/proc/x']) {
      const perftest = run('loadtest/perftest/main.ts', ['--mode', 'broker-only', '-x', '1', '-r', '10', '-z', '2', '--warmup-s', '0', '--results-dir', resultsDir]);
      expect(perftest.status).toBe(2);
      expect(perftest.stdout).not.toContain('starting');
      expect(perftest.stderr).toMatch(new RegExp(`^perftest: --results-dir ${resultsDir}: cannot write results there \\(.*\\)\\n$`));
    }
  });

  it('when bench:faults --report cannot be written, then it exits 2 with a message before any scenario', () => {
    const faults = run('loadtest/fault-scenarios.ts', ['--report', `${file}/report.json`, '--scenario', 'agent-offline', '--agents', '1', '--load-s', '1', '--outage-s', '1']);
    expect(faults.status).toBe(2);
    expect(faults.stdout).not.toContain('agent-offline');
    expect(faults.stderr).toMatch(/^bench:faults: --report .*: cannot write in its folder .*a-file \(a part of the path is a file, ENOTDIR\)\n$/);
  });

  it('when bench:disk-flush --dir cannot be created, then it exits 2 with a message instead of hanging', () => {
    for (const target of [`${file}/x`, '/proc/x']) {
      const probe = run('loadtest/disk-flush-probe.ts', ['--dir', target, '--duration-s', '1'], 15_000);
      expect(probe.status).toBe(2);
      expect(probe.stderr).toMatch(new RegExp(`^bench:disk-flush: --dir ${target}: cannot write results there \\(.*\\)\\n$`));
    }
  });
});
