import { describe, expect, it } from 'vitest';
import { parseBearer } from '../bearer.js';

describe('parseBearer (RFC 6750 §2.1)', () => {
  it.each([
    ['Bearer abc.def-ghi_jkl~mno+p/q==', 'abc.def-ghi_jkl~mno+p/q=='],
    ['bearer abc', 'abc'],
    ['BEARER abc', 'abc'],
  ])('when the header is %j, then the token is returned', (header, token) => {
    expect(parseBearer(header)).toBe(token);
  });

  it.each([undefined, '', 'Bearer', 'Bearer ', 'Bearer  abc', 'Basic abc', 'Bearer abc def', 'Bearer abc,def', 'Bearer a=b', ' Bearer abc', 'Bearer abc ', 'Bearer abc\n'])(
    'when the header is %j, then there is no bearer token',
    (header) => {
      expect(parseBearer(header)).toBeUndefined();
    },
  );

  it('when the header was sent twice, then there is no bearer token', () => {
    expect(parseBearer(['Bearer a', 'Bearer b'])).toBeUndefined();
  });
});
