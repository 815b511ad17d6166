import { describe, expect, it } from 'vitest';
import { scramSha256Verifier } from '../scram-verifier.js';

// What PostgreSQL 15 stored for `CREATE ROLE t2 PASSWORD 'pencil'` (pg_authid.rolpassword).
const FROM_POSTGRES = 'SCRAM-SHA-256$4096:T1F7fGzccb74RkvGlx8cbQ==$HafK7GO/6y8cgqOFyu4pbD0VnOayCyiSVKwiyqD97NU=:tegLSVK2FINoK2ncIzuIXvsW7TUXDj0vQDdkbl7qbn8=';

describe('scramSha256Verifier', () => {
  it('when given the salt PostgreSQL chose, then it computes the verifier PostgreSQL stored', () => {
    expect(scramSha256Verifier('pencil', Buffer.from('T1F7fGzccb74RkvGlx8cbQ==', 'base64'))).toBe(FROM_POSTGRES);
  });

  it('when called twice, then each verifier has its own salt', () => {
    expect(scramSha256Verifier('pencil')).not.toBe(scramSha256Verifier('pencil'));
  });

  it('when the password is not printable ASCII, then it refuses (no SASLprep here)', () => {
    expect(() => scramSha256Verifier('pässword')).toThrow(/ASCII/);
  });
});
