import { describe, expect, it } from 'vitest';
import { classifyWrite } from '../influx-writer.js';

describe('classifyWrite (v1 /write status codes)', () => {
  it('204 is ok', () => {
    expect(classifyWrite(204, '')).toEqual({ kind: 'ok' });
  });

  it("400 and 422 are rejections carrying InfluxDB's error text", () => {
    const text = '{"error":"partial write: field type conflict: input field \\"value\\" on measurement \\"reading\\" is type string, already exists as type float dropped=1"}\n';
    expect(classifyWrite(400, text)).toEqual({
      kind: 'rejected',
      status: 400,
      message: 'partial write: field type conflict: input field "value" on measurement "reading" is type string, already exists as type float dropped=1',
    });
    expect(classifyWrite(422, '{"code":"unprocessable entity","message":"x"}')).toMatchObject({ kind: 'rejected', status: 422 });
  });

  it('404 is a missing database, 413 too large', () => {
    expect(classifyWrite(404, '{"error":"database not found: \\"x\\""}')).toEqual({ kind: 'databaseMissing', message: 'database not found: "x"' });
    expect(classifyWrite(413, '')).toEqual({ kind: 'tooLarge', message: 'HTTP 413' });
  });

  it('5xx, auth failures and anything unexpected are retryable (data is never dropped for them)', () => {
    for (const status of [500, 502, 503, 504, 401, 403, 405, 200]) {
      expect(classifyWrite(status, 'nope')).toEqual({ kind: 'retryable', status, message: 'nope' });
    }
  });

  it('keeps the head and the tail of a very long message (1.x echoes the refused line first)', () => {
    const message = `unable to parse '${'x'.repeat(10_000)}': invalid tag format`;
    const outcome = classifyWrite(400, JSON.stringify({ error: message }));
    const text = outcome.kind === 'rejected' ? outcome.message : '';
    expect(text.length).toBeLessThanOrEqual(2_001);
    expect(text.startsWith("unable to parse 'xxx")).toBe(true);
    expect(text.endsWith('invalid tag format')).toBe(true);
  });
});
