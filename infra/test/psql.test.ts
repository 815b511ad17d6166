import { describe, expect, it } from 'vitest';
import { formatPostgresUrl, parsePostgresUrl, postgresUrlFor } from '../psql.js';

describe('postgres URLs', () => {
  it('when a password has URL-special characters, then it survives format and parse', () => {
    const parts = { host: '127.0.0.1', port: 5433, user: 'postgres', password: 'a/b@c:d%', database: 'energymonitor' };
    expect(parsePostgresUrl(formatPostgresUrl(parts))).toEqual(parts);
  });

  it('when another database is asked for, then only the path changes', () => {
    expect(postgresUrlFor('postgres://u:p@127.0.0.1:6000/energymonitor', 'per_test')).toBe('postgres://u:p@127.0.0.1:6000/per_test');
  });

  it('when the URL is not postgres://, then refuses it', () => {
    expect(() => parsePostgresUrl('http://127.0.0.1/x')).toThrow(/not a postgres/);
  });
});
