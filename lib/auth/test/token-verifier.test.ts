// The verifier against real keys served from a local JWKS endpoint (test/support/test-issuer.ts).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SignJWT } from 'jose';
import { startTestIssuer, type TestIssuer } from '../../../test/support/test-issuer.js';
import { TokenRejectedError, type AccessTokenVerifier } from '../principal.js';
import { createTokenVerifier } from '../token-verifier.js';

let issuer: TestIssuer;
let verifier: AccessTokenVerifier;

beforeAll(async () => {
  issuer = await startTestIssuer();
  verifier = createTokenVerifier(issuer.verifierOptions);
});
afterAll(() => issuer.close());

async function reason(token: string, v: AccessTokenVerifier = verifier): Promise<string> {
  const err: unknown = await v.verify(token).then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(TokenRejectedError);
  return (err as TokenRejectedError).reason;
}

const b64 = (value: unknown): string => Buffer.from(JSON.stringify(value)).toString('base64url');
const nowS = (): number => Math.floor(Date.now() / 1000);

describe('token verifier', () => {
  it('when our issuer signs a user token, then it is accepted and mapped to a user principal', async () => {
    const token = await issuer.userToken('user-1', { roles: ['admin'], scope: 'openid readings:read' });
    const principal = await verifier.verify(token);
    expect(principal).toMatchObject({ subject: 'user-1', kind: 'user', roles: ['admin'], scopes: ['openid', 'readings:read'] });
    expect(principal.expiresAtS).toBeGreaterThan(nowS());
  });

  it('when our issuer signs a client_credentials token, then the principal is a service with its scopes', async () => {
    const principal = await verifier.verify(await issuer.serviceToken('read-service', 'readings:subscribe-all'));
    expect(principal).toMatchObject({ subject: 'read-service', kind: 'service', scopes: ['readings:subscribe-all'] });
  });

  it('when the payload is tampered with, then it is refused as bad-signature', async () => {
    const [header, , signature] = (await issuer.userToken('user-1')).split('.');
    const forged = b64({ sub: 'user-2', iss: issuer.issuer, aud: issuer.audience, exp: nowS() + 600 });
    expect(await reason(`${header}.${forged}.${signature}`)).toBe('bad-signature');
  });

  it('when the token has expired, then it is refused as expired', async () => {
    expect(await reason(await issuer.userToken('user-1', { expiresInS: -600 }))).toBe('expired');
  });

  it('when the token is unsigned (alg none), then it is refused as algorithm-not-allowed', async () => {
    const payload = { sub: 'user-1', iss: issuer.issuer, aud: issuer.audience, exp: nowS() + 600 };
    expect(await reason(`${b64({ alg: 'none', typ: 'at+jwt' })}.${b64(payload)}.`)).toBe('algorithm-not-allowed');
  });

  it('when the token is HS256-signed with the public key bytes (key confusion), then it is refused as algorithm-not-allowed', async () => {
    const publicKeyBytes = new TextEncoder().encode(JSON.stringify(issuer.rsaKey.publicJwk));
    const token = await new SignJWT({ sub: 'user-1' })
      .setProtectedHeader({ alg: 'HS256', kid: issuer.rsaKey.kid, typ: 'at+jwt' })
      .setIssuer(issuer.issuer)
      .setAudience(issuer.audience)
      .setExpirationTime('10m')
      .sign(publicKeyBytes);
    expect(await reason(token)).toBe('algorithm-not-allowed');
  });

  it('when the audience is another service, then it is refused as wrong-audience', async () => {
    expect(await reason(await issuer.userToken('user-1', { audience: 'someone-else' }))).toBe('wrong-audience');
  });

  it('when the issuer is another one, then it is refused as wrong-issuer', async () => {
    expect(await reason(await issuer.userToken('user-1', { issuer: 'https://evil.example/' }))).toBe('wrong-issuer');
  });

  it('when the header typ is not an access token type, then it is refused as wrong-type', async () => {
    expect(await reason(await issuer.userToken('user-1', { typ: 'JWT' }))).toBe('wrong-type');
    expect(await reason(await issuer.userToken('user-1', { typ: null }))).toBe('wrong-type');
  });

  it('when an id token is presented (Keycloak typ ID), then it is refused as wrong-type', async () => {
    const idToken = await issuer.sign({ typ: 'ID', azp: 'web' }, { subject: 'user-1', typ: 'JWT', key: issuer.rsaKey });
    expect(await reason(idToken)).toBe('wrong-type');
    const refresh = await issuer.sign({ typ: 'Refresh' }, { subject: 'user-1', typ: 'at+jwt' });
    expect(await reason(refresh)).toBe('wrong-type');
  });

  it('when the kid is unknown, then the JWKS is refetched once and the token refused as unknown-key', async () => {
    const stranger = await issuer.newKey('EdDSA', 'not-published');
    const before = issuer.jwksFetches();
    expect(await reason(await issuer.userToken('user-1', { key: stranger }))).toBe('unknown-key');
    expect(await reason(await issuer.userToken('user-1', { key: stranger }))).toBe('unknown-key');
    expect(issuer.jwksFetches() - before).toBeLessThanOrEqual(1); // cooldown: no refetch storm
  });

  it('when the JWKS endpoint is down, then tokens are refused as jwks-unavailable', async () => {
    const cold = createTokenVerifier(issuer.verifierOptions);
    issuer.setDown(true);
    try {
      expect(await reason(await issuer.userToken('user-1'), cold)).toBe('jwks-unavailable');
    } finally {
      issuer.setDown(false);
    }
    expect((await cold.verify(await issuer.userToken('user-1'))).subject).toBe('user-1');
  });

  it('when a token is not a JWT at all, then it is refused as malformed', async () => {
    expect(await reason('not-a-token')).toBe('malformed');
    expect(await reason('a.b.c')).toBe('malformed');
  });

  it('when Keycloak signs a user token (RS256, typ Bearer claim, realm_access.roles, azp), then it is accepted and mapped', async () => {
    const token = await issuer.sign(
      { typ: 'Bearer', azp: 'energymonitor-web', realm_access: { roles: ['admin', 'offline_access'] }, scope: 'openid profile', preferred_username: 'ann' },
      { subject: 'f3c1c5a2-kc-user', typ: 'JWT', key: issuer.rsaKey },
    );
    expect(await verifier.verify(token)).toMatchObject({
      subject: 'f3c1c5a2-kc-user',
      kind: 'user',
      roles: ['admin', 'offline_access'],
      scopes: ['openid', 'profile'],
    });
  });

  it('when Keycloak signs a service-account token, then the principal is a service', async () => {
    const token = await issuer.sign(
      { typ: 'Bearer', azp: 'read-service', client_id: 'read-service', preferred_username: 'service-account-read-service', scope: 'readings:subscribe-all' },
      { subject: '9b1e-kc-service-user', typ: null, key: issuer.rsaKey },
    );
    expect(await verifier.verify(token)).toMatchObject({ subject: '9b1e-kc-service-user', kind: 'service', scopes: ['readings:subscribe-all'] });
  });

  it('when HS256 or none is configured as allowed, then creating the verifier fails', () => {
    expect(() => createTokenVerifier({ ...issuer.verifierOptions, algorithms: ['RS256', 'HS256'] })).toThrow(/RFC 8725/);
    expect(() => createTokenVerifier({ ...issuer.verifierOptions, algorithms: ['none'] })).toThrow(/RFC 8725/);
  });
});
