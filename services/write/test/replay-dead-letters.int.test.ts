// Replaying the write service's dead letters into a real InfluxDB once their cause is fixed: lines
// refused as beyond the retention policy are stored after it is lengthened, a field type conflict
// stays refused, letters without a whole line are skipped, and the store is left as it was.
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createServer, type Server } from 'node:net';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDeadLetterReader } from '../../../lib/dead-letter/dead-letter-reader.js';
import { openDeadLetterStore } from '../../../lib/dead-letter/dead-letter-store.js';
import { createTestInfluxDatabase, type TestInfluxDatabase } from '../../../test/support/influx-database.js';
import { makeTempDir, type TempDir } from '../../../test/support/temp-dir.js';
import { createInfluxWriter, type InfluxWriter } from '../influx-writer.js';
import { ReplayInterrupted, replayDeadLetters } from '../replay-dead-letters.js';

const repoRoot = fileURLToPath(new URL('../../..', import.meta.url));
const HOUR_MS = 3_600_000;
const now = Date.now();
const encode = (text: string): Uint8Array => new TextEncoder().encode(text);
const OLD1 = `rp,t=old1 value=1.5 ${now - 2 * HOUR_MS}`;
const OLD2 = `rp,t=old\\ 2 value=2.5 ${now - 2 * HOUR_MS + 1}`;
const CONFLICT = `rp,t=str value="x" ${now}`;
const LONG = `rp,t=${'x'.repeat(1100)} value=1 ${now}`;

let db: TestInfluxDatabase;
let writer: InfluxWriter;
let dir: TempDir;
let storePath: string;
let silent: Server;

/** The CLI as an operator runs it, against this test's InfluxDB database (retention policy "hour"). */
async function runCli(args: string[], influxUrl = db.url): Promise<{ code: number; stdout: string; stderr: string }> {
  const { PATH, HOME } = process.env;
  const env = { PATH, HOME, EM_WRITE_INFLUX_URL: influxUrl, EM_WRITE_INFLUX_DB: db.database, EM_WRITE_INFLUX_RP: 'hour', EM_WRITE_REQUEST_TIMEOUT_MS: '2000' };
  try {
    const { stdout, stderr } = await promisify(execFile)(process.execPath, ['--import', 'tsx', 'services/write/replay-dead-letters-cli.ts', '--path', storePath, ...args], { cwd: repoRoot, env, timeout: 30_000 });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const failed = error as { code: number; stdout: string; stderr: string };
    return { code: failed.code, stdout: failed.stdout, stderr: failed.stderr };
  }
}

/** The points stored in "hour"."rp": tag t → value. */
async function stored(): Promise<Record<string, unknown>> {
  const [series] = await db.query(`SELECT "value", "t" FROM "hour"."rp"`);
  return Object.fromEntries((series?.values ?? []).map((row) => [String(row[2]), row[1]]));
}

const letters = (): ReturnType<ReturnType<typeof openDeadLetterReader>['letters']> => {
  const reader = openDeadLetterReader(storePath);
  const found = reader.letters({ limit: 100 });
  void reader.close();
  return found;
};

beforeAll(async () => {
  db = await createTestInfluxDatabase('write_replay');
  await db.query(`CREATE RETENTION POLICY "hour" ON "${db.database}" DURATION 1h REPLICATION 1`);
  writer = createInfluxWriter({ url: db.url, database: db.database, retentionPolicy: 'hour', gzip: false, requestTimeoutMs: 10_000 });
  expect(await writer.writeBatch(`rp,t=first value=1 ${now - 5}`)).toEqual({ kind: 'ok' });

  dir = makeTempDir('replay');
  storePath = dir.join('write-dead-letters');
  const store = openDeadLetterStore(storePath, { maxPayloadBytes: 1024 });
  const refused = (line: string, detail: string): Promise<unknown> => store.record({ source: 'write', reason: 'influx-400', detail, correlationId: 'hh-1/a-1/7', payload: encode(line) });
  await refused(OLD1, 'partial write: points beyond retention policy dropped=2');
  await refused(OLD2, 'partial write: points beyond retention policy dropped=2');
  await refused(CONFLICT, 'partial write: field type conflict');
  await refused(LONG, 'partial write: field type conflict'); // only its first 1 KiB kept
  await store.record({ source: 'broker', reason: 'decode', detail: 'not a container', topic: 'em/hh-1/a-1/readings', clientId: 'a-1', payload: encode('garbage') });
  await store.close();

  // Accepts connections and closes them at once: an InfluxDB that answers nothing.
  silent = createServer((socket) => socket.destroy());
  await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
});

afterAll(async () => {
  await db.drop();
  dir.remove();
  await new Promise<void>((resolve) => silent.close(() => resolve()));
});

describe('replaying dead letters', () => {
  it('when the cause is not fixed, then each replayable letter says why it is still refused, and the others are skipped', async () => {
    const replays = await replayDeadLetters(letters(), writer);
    expect(replays.map(({ outcome }) => outcome.kind)).toEqual(['refused', 'refused', 'refused', 'skipped', 'skipped']);
    expect(replays[0]?.outcome).toEqual({ kind: 'refused', message: 'partial write: points beyond retention policy dropped=1' });
    expect(replays[2]?.outcome.kind).toBe('refused');
    expect(replays[2]?.outcome).toHaveProperty('message', expect.stringContaining('field type conflict') as unknown);
    expect(replays[3]?.outcome).toEqual({ kind: 'skipped', why: `only 1024 of its ${LONG.length} bytes were kept` });
    expect(replays[4]?.outcome).toEqual({ kind: 'skipped', why: 'a broker letter (decode) holds no line InfluxDB refused' });
    expect(await stored()).toEqual({ first: 1 });
    const oneByOne = await replayDeadLetters(letters(), writer, 1);
    expect(oneByOne.map(({ outcome }) => outcome)).toEqual(replays.map(({ outcome }) => outcome));
  });

  it('when the retention policy is lengthened, then the CLI stores those lines exactly, keeps the letters, and says the conflict is still refused (exit 3)', async () => {
    const dry = await runCli(['--dry-run']);
    expect(dry.code, dry.stderr).toBe(0);
    expect(dry.stdout.split('\n').filter((line) => line.startsWith('replay '))).toHaveLength(3);
    expect(dry.stdout).toContain(JSON.stringify(OLD2));
    expect(dry.stdout.trim().split('\n').at(-1)).toBe('5 letters: 3 to replay, 2 to skip (dry run: nothing written)');
    expect(await stored()).toEqual({ first: 1 });

    await db.query(`ALTER RETENTION POLICY "hour" ON "${db.database}" DURATION INF`);
    const run = await runCli([]);
    expect(run.code, run.stderr).toBe(3);
    const lines = run.stdout.trim().split('\n');
    expect(lines.map((line) => line.split(' ')[0])).toEqual(['stored', 'stored', 'refused', 'skipped', 'skipped', '5']);
    expect(lines[2]).toMatch(/cid=hh-1\/a-1\/7 payload=\d+B: ".*field type conflict/);
    expect(lines[5]).toBe('5 letters: 2 stored, 1 still refused, 2 skipped');
    expect(await stored()).toEqual({ first: 1, old1: 1.5, 'old 2': 2.5 });
    const [series] = await db.query(`SELECT "value" FROM "hour"."rp" WHERE "t" = 'old 2'`);
    expect(series?.values).toEqual([[now - 2 * HOUR_MS + 1, 2.5]]);
    expect(letters()).toHaveLength(5);

    // Again: the same points written over themselves.
    expect((await runCli(['--reason', 'influx-400'])).stdout).toContain('4 letters: 2 stored, 1 still refused, 1 skipped');
    expect(await stored()).toEqual({ first: 1, old1: 1.5, 'old 2': 2.5 });
  });

  it('when InfluxDB answers nothing, then the replay stops at once with exit 1 and says why', async () => {
    const silentUrl = `http://127.0.0.1:${(silent.address() as { port: number }).port}`;
    const run = await runCli([], silentUrl);
    expect(run.code).toBe(1);
    expect(run.stdout.trim().split('\n').at(-1)).toBe('5 letters: 0 stored, 0 still refused, 2 skipped, 3 not tried');
    expect(run.stderr).toMatch(/dead-letters:replay: stopped: InfluxDB took no write \(retryable\)/);

    const unreachable = createInfluxWriter({ url: silentUrl, database: db.database, gzip: false, requestTimeoutMs: 2000 });
    await expect(replayDeadLetters(letters(), unreachable)).rejects.toBeInstanceOf(ReplayInterrupted);
  });

  it('when the store does not exist, then it says so with exit 1 and creates nothing', async () => {
    const run = await runCli(['--path', dir.join('missing')]);
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(/no dead-letter store at .*missing/);
    expect(existsSync(dir.join('missing'))).toBe(false);
  });
});
