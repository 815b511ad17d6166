// The operator's tool, spawned as an operator runs it, on a store this test fills and keeps open
// for writing meanwhile (as the broker does while it runs).
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { encodeContainer } from '../../../proto/container.js';
import { makeTempDir, type TempDir } from '../../../test/support/temp-dir.js';
import { openDeadLetterStore, type DeadLetterStore } from '../dead-letter-store.js';

const repoRoot = fileURLToPath(new URL('../../..', import.meta.url));
const T0 = Date.parse('2026-11-24T08:00:00Z');

function runCli(...args: string[]): { status: number | null; stdout: string; stderr: string } {
  const { PATH, HOME } = process.env;
  return spawnSync(process.execPath, ['--import', 'tsx', 'lib/dead-letter/dead-letters-cli.ts', ...args], { cwd: repoRoot, env: { PATH, HOME }, encoding: 'utf8', timeout: 30_000 });
}

describe('npm run dead-letters', () => {
  let dir: TempDir;
  let store: DeadLetterStore;
  const container = encodeContainer({ householdId: 'hh-9', agentId: 'a-9', seq: 42, createdAtMs: T0, measurements: [{ deviceId: 'plug', quantity: 'power_w', value: 5, timestampMs: T0 }] });

  beforeAll(async () => {
    dir = makeTempDir('dead-letters-cli');
    let now = T0 - 60_000; // the store reads the clock once at open, to seed its ids
    store = openDeadLetterStore(dir.join('store'), { maxPayloadBytes: 1024, clock: () => (now += 60_000) });
    await store.record({ source: 'broker', reason: 'too-large', detail: 'container of 4096 bytes', topic: 'em/hh-1/a-1/readings', clientId: 'a-1', payload: new Uint8Array(4096).fill(0xab) });
    await store.record({ source: 'broker', reason: 'topic-mismatch', detail: 'household hh-9 on hh-1', topic: 'em/hh-1/a-1/readings', clientId: 'a-1', payload: container });
    await store.record({ source: 'write', reason: 'influx-400', detail: 'field type conflict', correlationId: 'hh-9/a-9/42', payload: new TextEncoder().encode('power,device=plug w=5i 1') });
  });
  afterAll(async () => {
    await store.close();
    dir.remove();
  });

  it('when run on a store its owner holds open, then it prints one line per letter, oldest first, with time, source, reason, detail, origin and size', () => {
    const run = runCli('--path', dir.join('store'));
    expect(run.status, run.stderr).toBe(0);
    expect(run.stdout.trim().split('\n')).toEqual([
      '2026-11-24T08:01:00.000Z broker too-large "container of 4096 bytes" client=a-1 topic=em/hh-1/a-1/readings payload=4096B (first 1024B kept)',
      `2026-11-24T08:02:00.000Z broker topic-mismatch "household hh-9 on hh-1" client=a-1 topic=em/hh-1/a-1/readings payload=${container.byteLength}B`,
      '2026-11-24T08:03:00.000Z write influx-400 "field type conflict" cid=hh-9/a-9/42 payload=24B',
    ]);
  });

  it('when filtered by reason and time, then only those letters; --limit keeps the newest', () => {
    expect(runCli('--path', dir.join('store'), '--reason', 'influx-400').stdout).toMatch(/^\S+ write influx-400 [^\n]*\n$/);
    expect(runCli('--path', dir.join('store'), '--since', '2026-11-24T08:02:00Z').stdout.trim().split('\n')).toHaveLength(2);
    expect(runCli('--path', dir.join('store'), '--limit', '1').stdout).toContain('influx-400');
  });

  it('when asked for JSON with decoded payloads, then a container decodes, a line reads as text, and cut garbage says why not', () => {
    const run = runCli('--path', dir.join('store'), '--json', '--payload', 'decoded');
    expect(run.status, run.stderr).toBe(0);
    const [tooLarge, mismatch, refused] = run.stdout.trim().split('\n').map((line) => JSON.parse(line) as Record<string, unknown>);
    expect(tooLarge).toMatchObject({ reason: 'too-large', payloadBytes: 4096, payloadTruncated: true, at: '2026-11-24T08:01:00.000Z' });
    expect((tooLarge?.payload as { error: string }).error).toMatch(/truncated/);
    expect(mismatch).toMatchObject({ payload: { container: { householdId: 'hh-9', agentId: 'a-9', seq: 42 } } });
    expect(refused).toMatchObject({ source: 'write', correlationId: 'hh-9/a-9/42', payload: { text: 'power,device=plug w=5i 1' } });
  });

  it('when asked for hex, then the kept bytes follow each line', () => {
    const lines = runCli('--path', dir.join('store'), '--reason', 'influx-400', '--payload', 'hex').stdout.trim().split('\n');
    expect(lines[1]).toBe(`  ${Buffer.from('power,device=plug w=5i 1').toString('hex')}`);
  });

  it('when the path holds no store, then it says so, exits 1 and creates nothing', () => {
    const missing = dir.join('no-such-store');
    const run = runCli('--path', missing);
    expect(run.status).toBe(1);
    expect(run.stderr).toContain(`no dead-letter store at ${missing}`);
    expect(existsSync(missing)).toBe(false);
  });

  it('when given an unknown option, a bad value or no --path, then it prints the usage and exits 2', () => {
    for (const args of [['--path', dir.join('store'), '--colour'], ['--path', dir.join('store'), '--payload', 'octal'], ['--path', dir.join('store'), '--since', 'yesterday'], []]) {
      const run = runCli(...args);
      expect(run.status, args.join(' ')).toBe(2);
      expect(run.stderr).toContain('npm run dead-letters -- --path DIR');
    }
    expect(runCli('--help').status).toBe(0);
  });
});
