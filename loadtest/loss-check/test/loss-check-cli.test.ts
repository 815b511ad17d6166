// The loss-check CLI tells "losses found" (1) from a bad option or configuration (2) and from
// "could not check" (3), each with one line on stderr instead of a stack trace.
import { spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { afterAll, describe, expect, it } from 'vitest';
import { makeTempDir } from '../../../test/support/temp-dir.js';

function lossCheck(...args: string[]): { status: number | null; stderr: string } {
  const run = spawnSync(process.execPath, ['--import', 'tsx', 'loadtest/loss-check-cli.ts', ...args], { encoding: 'utf8', timeout: 30_000 });
  return { status: run.status, stderr: run.stderr };
}

/** A port nothing listens on (taken from the OS, then released). */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise((resolve) => server.close(resolve));
  return port;
}

describe('loss-check command line', () => {
  const dir = makeTempDir('loss-check-cli');
  afterAll(() => dir.remove());
  const ledger = dir.join('ledger.ndjson');
  writeFileSync(ledger, '{"h":"h","a":"a-1","seq":1,"n":3}\n');

  const expectOneLine = (run: { stderr: string }, pattern: RegExp): void => {
    expect(run.stderr.split('\n')[0]).toMatch(pattern);
    expect(run.stderr).not.toMatch(/^\s+at /m);
  };

  it('when the ledger is missing or malformed, then one line and exit 2', () => {
    const missing = lossCheck('--ledger', dir.join('nope.ndjson'));
    expect(missing.status).toBe(2);
    expectOneLine(missing, /^loss-check: --ledger .*nope\.ndjson: cannot read it: no such file \(a fleet writes one only when EM_FLEET_LEDGER_PATH is set\)$/);
    const malformed = dir.join('bad.ndjson');
    writeFileSync(malformed, 'garbage\n{"h":"h","a":"a-1","seq":1,"n":3}\n');
    const bad = lossCheck('--ledger', malformed);
    expect(bad.status).toBe(2);
    expectOneLine(bad, /^loss-check: --ledger: .*bad\.ndjson:1: not a ledger line: garbage$/);
  });

  it('when --influx-url or --metrics is not a URL, then it says so and exits 2', () => {
    for (const args of [['--influx-url', 'notaurl'], ['--metrics', 'ftp://x/metrics']]) {
      const run = lossCheck('--ledger', ledger, ...args);
      expect(run.status).toBe(2);
      expectOneLine(run, new RegExp(`^loss-check: ${args[0]} must be`));
    }
  });

  it('when InfluxDB is unreachable, then "could not check" and exit 3, not the 1 of a failed check', async () => {
    const url = `http://127.0.0.1:${await closedPort()}`;
    const run = lossCheck('--ledger', ledger, '--influx-url', url);
    expect(run.status).toBe(3);
    expectOneLine(run, new RegExp(`^loss-check: could not check: InfluxDB at ${url}: fetch failed \\(ECONNREFUSED\\)$`));
  });
});
