import { describe, expect, it } from 'vitest';
import { readPartialWrite } from '../partial-write.js';

const line = (device: string, timestampMs: number) => `reading,agent=a,device=${device},household=h,quantity=power_w value=1,seq=1i ${timestampMs}`;
const RETENTION = (dropped: number) => `partial write: points beyond retention policy dropped=${dropped}`;
const CONFLICT = (dropped: number) =>
  `partial write: field type conflict: input field "value" on measurement "reading" is type float, already exists as type integer dropped=${dropped}`;

describe('readPartialWrite', () => {
  const lines = [line('new-1', 3_000), line('old-1', 1_000), line('new-2', 4_000), line('old-2', 2_000), line('new-3', 3_000)];

  it('when 1.x drops points beyond the retention policy, then the N oldest are the refused part and the others the rest, in batch order', () => {
    expect(readPartialWrite(lines, 400, RETENTION(2))).toEqual({
      kind: 'split',
      refused: [lines[1], lines[3]],
      rest: [lines[0], lines[2], lines[4]],
    });
  });

  it.each([
    ['beyond the retention policy', RETENTION(5)],
    ['for a field type conflict', CONFLICT(5)],
  ])('when 1.x drops every line %s, then all are refused', (_what, message) => {
    expect(readPartialWrite(lines, 400, message)).toEqual({ kind: 'allRefused' });
  });

  it.each([
    ['a type conflict in some lines (the message names one field of one shard)', 400, CONFLICT(2)],
    ['parse errors only', 400, "partial write: unable to parse 'x': invalid field format dropped=0"],
    ['a retention drop answered with 422 (2.x)', 422, RETENTION(2)],
    ['2.x wording', 422, '{"code":"unprocessable entity","message":"failure writing points to database: partial write: points beyond retention policy dropped=2"}'],
    ['more dropped than sent', 400, RETENTION(6)],
    ['another reason', 400, 'partial write: max-values-per-tag limit exceeded (100000/100000): measurement="reading" tag="device" value="x" dropped=2'],
    ['no dropped count', 400, 'partial write: field type conflict'],
  ])('when the answer is %s, then nothing is known', (_what, status, message) => {
    expect(readPartialWrite(lines, status, message)).toEqual({ kind: 'unknown' });
  });

  it('when a line has no timestamp, then the oldest cannot be told and nothing is known', () => {
    expect(readPartialWrite([...lines, 'reading,agent=a value=1'], 400, RETENTION(2))).toEqual({ kind: 'unknown' });
  });
});
