// The line-protocol rules checked against the real InfluxDB: hostile ids come back byte-exact,
// floats come back as the same double, and every value tagValueProblem refuses is in fact refused.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestInfluxDatabase, type TestInfluxDatabase } from '../../../test/support/influx-database.js';
import { createInfluxWriter, type InfluxWriter } from '../influx-writer.js';
import { appendContainerLines, containerToLines, MAX_TAG_VALUE_BYTES, tagValueProblem } from '../line-protocol.js';
import type { ReadingContainer } from '../../../proto/container.js';
import { makeContainer } from './fakes.js';

const HOSTILE_IDS = [
  'plain',
  'kitchen plug',
  'a,b',
  'a=b',
  ',= ',
  ' leading',
  'trailing ',
  'a\\b',
  '\\a',
  'a\\,b',
  'a\\ b',
  'a\\=b',
  'a\\\\,b',
  '\\ ',
  'a"b',
  "a'b",
  '"',
  'a\tb',
  'a\rb',
  '\r',
  'a\u0000b',
  'a\u0001b\u007f',
  'ümlaut',
  '日本語',
  'emoji😀',
  '\u2028\ufeff',
  '#comment',
  'x'.repeat(128),
];

let db: TestInfluxDatabase;
let writer: InfluxWriter;

beforeAll(async () => {
  db = await createTestInfluxDatabase('write_lp');
  writer = createInfluxWriter({ url: db.url, database: db.database, gzip: true, requestTimeoutMs: 10_000 });
});

afterAll(async () => {
  await db.drop();
});

describe('line protocol against InfluxDB', () => {
  it('hostile device ids round-trip byte-exact (SHOW TAG VALUES and SELECT … GROUP BY)', async () => {
    for (const id of HOSTILE_IDS) expect(tagValueProblem(id), JSON.stringify(id)).toBeUndefined();
    const container = makeContainer(1, HOSTILE_IDS);
    expect(await writer.writeBatch(containerToLines(container).join('\n'))).toEqual({ kind: 'ok' });

    const [tagValues] = await db.query('SHOW TAG VALUES FROM "reading" WITH KEY = "device"');
    expect(new Set(tagValues?.values.map((row) => row[1]))).toEqual(new Set(HOSTILE_IDS));

    const series = await db.query('SELECT "value", "seq" FROM "reading" GROUP BY "device"');
    const back = new Map(series.map((s) => [s.tags.device, s.values]));
    container.measurements.forEach((m) => {
      expect(back.get(m.deviceId), JSON.stringify(m.deviceId)).toEqual([[m.timestampMs, m.value, 1]]);
    });
  });

  it('every finite double comes back as the same double', async () => {
    const values = [0, 1, -1, 0.1, 1 / 3, 1e21, -1e21, 1e300, 5e-324, -5e-324, 2.2250738585072014e-308, 1.7976931348623157e308, 123456.789e-10];
    const container = {
      ...makeContainer(2),
      measurements: values.map((value, i) => ({ deviceId: `f${i}`, quantity: 'power_w' as const, value, timestampMs: 1_700_000_000_000 })),
    };
    expect(await writer.writeBatch(containerToLines(container).join('\n'))).toEqual({ kind: 'ok' });
    const series = await db.query(`SELECT "value" FROM "reading" WHERE "device" =~ /^f\\d+$/ GROUP BY "device"`);
    const back = new Map(series.map((s) => [s.tags.device, s.values[0]?.[1]]));
    values.forEach((value, i) => expect(back.get(`f${i}`), String(value)).toBe(value));
  });

  it.each([
    ['', 'missing tag value'],
    ['a\\', 'invalid tag format'],
    ['a\\\\', 'invalid tag format'],
    ['\\', 'invalid tag format'],
    ['a\nb', 'missing fields'],
  ])('a tag value tagValueProblem refuses (%j) is refused by InfluxDB: %s', async (id, influxMessage) => {
    expect(tagValueProblem(id)).toBeDefined();
    expect(() => containerToLines(makeContainer(3, [id]))).toThrow();
    const outcome = await writer.writeBatch(uncheckedLines(makeContainer(3, [id])));
    expect(outcome).toMatchObject({ kind: 'rejected', status: 400 });
    expect(outcome.kind === 'rejected' ? outcome.message : '').toContain(influxMessage);
  });

  it('the tag value length limit keeps the series key under 65535 bytes; one byte over the key limit is refused', async () => {
    const longest = 'x'.repeat(MAX_TAG_VALUE_BYTES);
    const base = makeContainer(4, [longest]);
    const measurements = [{ ...base.measurements[0]!, quantity: 'reactive_power_var' as const }];
    const fits = { ...base, agentId: longest, householdId: longest, measurements };
    expect(await writer.writeBatch(containerToLines(fits).join('\n'))).toEqual({ kind: 'ok' });
    const tooLong = { ...fits, measurements: [{ ...measurements[0]!, deviceId: `${longest}xxxx` }] };
    const outcome = await writer.writeBatch(uncheckedLines(tooLong));
    expect(outcome.kind === 'rejected' ? outcome.message : '').toContain('max key length exceeded');
  });
});

/** The lines as the encoder writes them, without containerToLines' refusal: to show what InfluxDB does with them. */
function uncheckedLines(container: ReadingContainer): string {
  const lines: string[] = [];
  appendContainerLines(container, lines);
  return lines.join('\n');
}
