import { describe, expect, it } from 'vitest';
import { toPrincipal } from '../../../lib/auth/token-claims.js';
import { buildServiceClaims, buildUserClaims, FIRST_PARTY_CLIENT_ID, rolesOfUser } from '../domain/token-claims.js';

const context = { issuer: 'http://auth.test', audience: 'energymonitor', ttlS: 600, nowS: 1_000_000, jti: 'jti-1' };

describe('token claims', () => {
  it('when a user token is built, then it has the RFC 9068 claims, roles, scope and the session id', () => {
    expect(buildUserClaims({ subject: 'u-1', roles: ['admin'], sessionId: 's-1' }, context)).toEqual({
      iss: 'http://auth.test',
      aud: 'energymonitor',
      sub: 'u-1',
      iat: 1_000_000,
      exp: 1_000_600,
      jti: 'jti-1',
      client_id: FIRST_PARTY_CLIENT_ID,
      scope: 'account households',
      roles: ['admin'],
      sid: 's-1',
    });
  });

  it('when a service token is built, then client_id equals sub and there are no roles', () => {
    const claims = buildServiceClaims({ clientId: 'read-service', scopes: ['readings:subscribe-all', 'x'] }, context);
    expect(claims).toMatchObject({ sub: 'read-service', client_id: 'read-service', scope: 'readings:subscribe-all x', roles: [] });
  });

  it('when lib/auth/token-claims reads our claims, then users are kind user and services kind service', () => {
    expect(toPrincipal(buildUserClaims({ subject: 'u-1', roles: [], sessionId: 's' }, context)).kind).toBe('user');
    expect(toPrincipal(buildServiceClaims({ clientId: 'c', scopes: [] }, context)).kind).toBe('service');
  });

  it('when a user role is mapped, then only admin becomes a token role', () => {
    expect(rolesOfUser('admin')).toEqual(['admin']);
    expect(rolesOfUser('user')).toEqual([]);
  });
});
