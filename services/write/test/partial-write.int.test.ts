// What InfluxDB 1.6.7 answers and writes when some points of a batch are refused (the claims of
// partial-write.ts), and the delivery built on them: a batch whose lines are mostly beyond the
// retention policy is settled in three requests, not a bisection per line.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { silentLogger } from '../../../lib/log.js';
import { createTestInfluxDatabase, type TestInfluxDatabase } from '../../../test/support/influx-database.js';
import { DEFAULT_BACKOFF } from '../backoff.js';
import { deliverBody } from '../batch-delivery.js';
import { systemClock } from '../clock.js';
import { createInfluxWriter, type InfluxWriter } from '../influx-writer.js';
import { createFakeDeadLetters, testMetrics } from './fakes.js';

let db: TestInfluxDatabase;
let writer: InfluxWriter;
const HOUR_MS = 3_600_000;

beforeAll(async () => {
  db = await createTestInfluxDatabase('write_partial');
  await db.query(`CREATE RETENTION POLICY "hour" ON "${db.database}" DURATION 1h REPLICATION 1`);
  writer = createInfluxWriter({ url: db.url, database: db.database, retentionPolicy: 'hour', gzip: false, requestTimeoutMs: 10_000 });
});

afterAll(async () => {
  await db.drop();
});

/** Tag values stored in `measurement` (retention policy "hour"). */
async function storedTags(measurement: string): Promise<string[]> {
  const [series] = await db.query(`SELECT "value", "t" FROM "hour"."${measurement}"`);
  return (series?.values ?? []).map((row) => String(row[2])).sort();
}

describe('InfluxDB 1.6.7 partial writes', () => {
  it('when some points are beyond the retention policy, then it writes the others and answers 400 with how many it dropped', async () => {
    const now = Date.now();
    const body = [`rp,t=new1 value=1 ${now}`, `rp,t=old1 value=1 ${now - 2 * HOUR_MS}`, `rp,t=new2 value=1 ${now - 1}`, `rp,t=old2 value=1 ${now - 2 * HOUR_MS + 1}`];
    expect(await writer.writeBatch(body.join('\n'))).toEqual({ kind: 'rejected', status: 400, message: 'partial write: points beyond retention policy dropped=2' });
    expect(await storedTags('rp')).toEqual(['new1', 'new2']);
  });

  it('when some points conflict with a field type, then it writes the others and names the first conflict', async () => {
    const now = Date.now();
    expect(await writer.writeBatch(`tc,t=first value=1 ${now}`)).toEqual({ kind: 'ok' });
    const outcome = await writer.writeBatch([`tc,t=str value="x" ${now + 1}`, `tc,t=ok value=2 ${now + 2}`, `tc,t=bool value=true ${now + 3}`].join('\n'));
    expect(outcome).toEqual({
      kind: 'rejected',
      status: 400,
      message: 'partial write: field type conflict: input field "value" on measurement "tc" is type string, already exists as type float dropped=2',
    });
    expect(await storedTags('tc')).toEqual(['first', 'ok']);
  });

  it('when a line does not parse and another is beyond the retention policy, then only the retention drop is reported', async () => {
    const now = Date.now();
    const outcome = await writer.writeBatch([`pe,t=new value=1 ${now}`, `pe,t=bad value= ${now}`, `pe,t=old value=1 ${now - 2 * HOUR_MS}`].join('\n'));
    expect(outcome).toEqual({ kind: 'rejected', status: 400, message: 'partial write: points beyond retention policy dropped=1' });
    expect(await storedTags('pe')).toEqual(['new']);
  });
});

describe('delivery against InfluxDB 1.6.7', () => {
  it('when most lines of a batch are beyond the retention policy, then three requests dead-letter exactly those and store the rest', async () => {
    const now = Date.now();
    const lines = Array.from({ length: 2_000 }, (_, i) => `drain,t=p${i} value=${i} ${i % 40 === 0 ? now - i : now - 2 * HOUR_MS + i}`);
    let requests = 0;
    const counting: InfluxWriter = { ...writer, writeBatch: (body) => (requests++, writer.writeBatch(body)) };
    const deadLetters = createFakeDeadLetters();
    const deps = {
      writer: counting,
      deadLetters,
      clock: systemClock,
      random: Math.random,
      backoff: DEFAULT_BACKOFF,
      metrics: testMetrics(),
      log: silentLogger(),
      stopSignal: new AbortController().signal,
    };
    expect(await deliverBody(lines.join('\n'), lines.length, () => lines, deps)).toBe(true);
    expect(requests).toBe(3);
    const expectedStored = lines.filter((_, i) => i % 40 === 0).map((text) => text.split(' ')[0]?.split('=')[1] ?? '');
    expect(await storedTags('drain')).toEqual(expectedStored.sort());
    expect(deadLetters.letters.map((letter) => new TextDecoder().decode(letter.payload))).toEqual(lines.filter((_, i) => i % 40 !== 0));
    expect(new Set(deadLetters.letters.map((letter) => letter.detail))).toEqual(new Set(['partial write: points beyond retention policy dropped=1950']));
  });
});
