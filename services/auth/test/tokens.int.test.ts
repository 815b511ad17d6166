// Access tokens: what our endpoints refuse (RFC 8725), what we publish (JWKS, discovery), the
// client_credentials grant, and that lib/auth/token-verifier.ts accepts what we issue.
import { randomUUID } from 'node:crypto';
import { generateKeyPair, SignJWT, type JWTPayload } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTokenVerifier } from '../../../lib/auth/token-verifier.js';
import { silentLogger } from '../../../lib/log.js';
import { createAuthService } from '../app.js';
import { loadKeySet, rotateSigningKey } from '../domain/signing-keys.js';
import { createServiceClient } from '../operator-tasks.js';
import { startTestService, testConfig, TEST_ISSUER, TEST_PASSWORD, type TestService, type TestUser } from './auth-test-service.js';

let t: TestService;
let user: TestUser;
let port: number;
beforeAll(async () => {
  t = await startTestService('auth_tokens');
  user = await t.newUser('tokens');
  const address = t.service.app.server.address();
  port = typeof address === 'object' && address !== null ? address.port : 0;
});
afterAll(async () => t?.close());

const nowS = (): number => Math.floor(Date.now() / 1000);
const meWith = (token: string) => t.request('GET', '/v1/me', { headers: { authorization: `Bearer ${token}` } });

async function signWithOurKey(claims: JWTPayload, header: { typ?: string } = { typ: 'at+jwt' }): Promise<string> {
  const keys = await loadKeySet(t.service.db);
  return new SignJWT(claims).setProtectedHeader({ alg: 'EdDSA', kid: keys.signingKid, ...header }).sign(keys.signingKey);
}

const goodClaims = (): JWTPayload => ({ iss: TEST_ISSUER, aud: 'energymonitor', sub: user.subject, iat: nowS(), exp: nowS() + 600, jti: randomUUID(), scope: 'account', roles: [] });

describe('bearer tokens on our endpoints', () => {
  it('when a token is well-formed and signed by us, then it is accepted (control case)', async () => {
    expect((await meWith(await signWithOurKey(goodClaims()))).statusCode).toBe(200);
  });

  const refused: Array<[string, () => Promise<string>]> = [
    ['tampered payload', () => {
      const [h, , s] = user.accessToken.split('.');
      const payload = Buffer.from(JSON.stringify({ ...goodClaims(), roles: ['admin'] })).toString('base64url');
      return Promise.resolve(`${h}.${payload}.${s}`);
    }],
    ['expired', () => signWithOurKey({ ...goodClaims(), iat: nowS() - 1200, exp: nowS() - 600 })],
    ['alg none', () => {
      const header = Buffer.from(JSON.stringify({ alg: 'none', typ: 'at+jwt' })).toString('base64url');
      return Promise.resolve(`${header}.${Buffer.from(JSON.stringify(goodClaims())).toString('base64url')}.`);
    }],
    ['wrong audience', () => signWithOurKey({ ...goodClaims(), aud: 'someone-else' })],
    ['wrong issuer', () => signWithOurKey({ ...goodClaims(), iss: 'http://evil.test' })],
    ['wrong typ (an id token)', () => signWithOurKey(goodClaims(), { typ: 'JWT' })],
    ['no typ', () => signWithOurKey(goodClaims(), {})],
    ['signed by a key we do not know', async () => {
      const { privateKey } = await generateKeyPair('EdDSA', { crv: 'Ed25519' });
      return new SignJWT(goodClaims()).setProtectedHeader({ alg: 'EdDSA', typ: 'at+jwt', kid: (await loadKeySet(t.service.db)).signingKid }).sign(privateKey);
    }],
    ['not a JWT at all', () => Promise.resolve('abc.def.ghi')],
  ];
  it.each(refused)('when the token is %s, then 401 unauthenticated with a Bearer challenge', async (_name, make) => {
    const response = await meWith(await make());
    expect(response.statusCode).toBe(401);
    expect(response.json()).toMatchObject({ error: 'unauthenticated' });
    expect(response.headers['www-authenticate']).toMatch(/^Bearer realm="energymonitor", error="invalid_token"/);
  });

  it('when there is no Authorization header, then 401 with a plain Bearer challenge', async () => {
    const response = await t.request('GET', '/v1/me');
    expect(response.statusCode).toBe(401);
    expect(response.headers['www-authenticate']).toBe('Bearer realm="energymonitor"');
  });
});

describe('published keys and metadata', () => {
  it('when JWKS and discovery are fetched, then they name our issuer, token endpoint and Ed25519 keys with kid', async () => {
    const jwks = (await t.request('GET', '/.well-known/jwks.json')).json<{ keys: Array<Record<string, string>> }>();
    expect(jwks.keys[0]).toMatchObject({ kty: 'OKP', crv: 'Ed25519', alg: 'EdDSA', use: 'sig' });
    expect(jwks.keys[0]?.['d']).toBeUndefined();
    const header = JSON.parse(Buffer.from(user.accessToken.split('.')[0] ?? '', 'base64url').toString()) as Record<string, string>;
    expect(header).toMatchObject({ alg: 'EdDSA', typ: 'at+jwt', kid: jwks.keys[0]?.['kid'] });
    const discovery = (await t.request('GET', '/.well-known/openid-configuration')).json<Record<string, unknown>>();
    expect(discovery).toMatchObject({ issuer: TEST_ISSUER, jwks_uri: `${TEST_ISSUER}/.well-known/jwks.json`, token_endpoint: `${TEST_ISSUER}/oauth/token` });
  });

  it('when /openapi.json is fetched, then it documents every /v1 route and the token endpoint', async () => {
    const response = await t.request('GET', '/openapi.json');
    expect(response.statusCode).toBe(200);
    const paths = Object.keys(response.json<{ paths: Record<string, unknown> }>().paths);
    expect(paths).toEqual(expect.arrayContaining(['/v1/auth/login', '/v1/households/{householdId}/agents/{agentId}/rotate', '/oauth/token']));
  });

  it('when lib/auth/token-verifier checks our user token over HTTP JWKS, then it yields a user principal', async () => {
    const verifier = createTokenVerifier({ issuer: TEST_ISSUER, audience: 'energymonitor', jwksUrl: `http://127.0.0.1:${port}/.well-known/jwks.json` });
    const principal = await verifier.verify(user.accessToken);
    expect(principal).toMatchObject({ subject: user.subject, kind: 'user', roles: [] });
  });

  it('when the service restarts on the same database, then tokens issued before still verify', async () => {
    const second = await createAuthService(testConfig(t.databaseUrl), { log: silentLogger() });
    await second.start();
    try {
      const me = await second.app.inject({ method: 'GET', url: '/v1/me', headers: { authorization: `Bearer ${user.accessToken}` } });
      expect(me.statusCode).toBe(200);
    } finally {
      await second.stop();
    }
  });
});

describe('key rotation', () => {
  it('when the signing key is rotated, then new tokens carry the new kid, the JWKS holds both keys, and old tokens still verify', async () => {
    await rotateSigningKey(t.service.db);
    const fresh = await createAuthService(testConfig(t.databaseUrl), { log: silentLogger() });
    await fresh.start();
    try {
      const jwks = (await fresh.app.inject({ method: 'GET', url: '/.well-known/jwks.json' })).json<{ keys: Array<{ kid: string }> }>();
      expect(jwks.keys).toHaveLength(2);
      const login = await fresh.app.inject({ method: 'POST', url: '/v1/auth/login', payload: { email: user.email, password: TEST_PASSWORD } });
      const kid = (JSON.parse(Buffer.from(login.json<{ access_token: string }>().access_token.split('.')[0] ?? '', 'base64url').toString()) as { kid: string }).kid;
      expect(kid).toBe(jwks.keys[0]?.kid);
      const old = await fresh.app.inject({ method: 'GET', url: '/v1/me', headers: { authorization: `Bearer ${user.accessToken}` } });
      expect(old.statusCode).toBe(200);
    } finally {
      await fresh.stop();
    }
  });
});

describe('client_credentials', () => {
  const form = (fields: Record<string, string>) => new URLSearchParams(fields).toString();
  const tokenRequest = (fields: Record<string, string>, headers: Record<string, string> = {}) =>
    t.service.app.inject({ method: 'POST', url: '/oauth/token', headers: { 'content-type': 'application/x-www-form-urlencoded', ...headers }, payload: form(fields) });

  it('when a service client authenticates (Basic or post), then it gets a service token that the shared verifier reads as kind service', async () => {
    const secret = await createServiceClient(t.service.db, 'read-service', ['readings:subscribe-all']);
    const basic = `Basic ${Buffer.from(`read-service:${secret}`).toString('base64')}`;
    const viaBasic = await tokenRequest({ grant_type: 'client_credentials' }, { authorization: basic });
    expect(viaBasic.statusCode).toBe(200);
    expect(viaBasic.headers['cache-control']).toBe('no-store');
    const body = viaBasic.json<{ access_token: string; scope: string; token_type: string }>();
    expect(body).toMatchObject({ token_type: 'Bearer', scope: 'readings:subscribe-all' });
    expect(body).not.toHaveProperty('refresh_token');
    const viaPost = await tokenRequest({ grant_type: 'client_credentials', client_id: 'read-service', client_secret: secret, scope: 'readings:subscribe-all' });
    expect(viaPost.statusCode).toBe(200);

    const verifier = createTokenVerifier({ issuer: TEST_ISSUER, audience: 'energymonitor', jwksUrl: `http://127.0.0.1:${port}/.well-known/jwks.json` });
    expect(await verifier.verify(body.access_token)).toMatchObject({ subject: 'read-service', kind: 'service', scopes: ['readings:subscribe-all'] });
    // A service has no person behind it: person endpoints refuse it.
    expect((await meWith(body.access_token)).statusCode).toBe(403);
  });

  it('when the secret is wrong or the client unknown, then 401 invalid_client, the same for both', async () => {
    await createServiceClient(t.service.db, 'other-service', ['readings:subscribe-all']);
    const wrong = await tokenRequest({ grant_type: 'client_credentials', client_id: 'other-service', client_secret: 'not-the-secret' });
    const unknown = await tokenRequest({ grant_type: 'client_credentials', client_id: 'nobody', client_secret: 'not-the-secret' });
    for (const response of [wrong, unknown]) {
      expect(response.statusCode).toBe(401);
      expect(response.json()).toMatchObject({ error: 'invalid_client' });
    }
  });

  it('when the grant type or scope is not allowed, then 400 unsupported_grant_type / invalid_scope', async () => {
    const secret = await createServiceClient(t.service.db, 'scoped', ['readings:subscribe-all']);
    expect((await tokenRequest({ grant_type: 'password', client_id: 'scoped', client_secret: secret })).json()).toMatchObject({ error: 'unsupported_grant_type' });
    const scope = await tokenRequest({ grant_type: 'client_credentials', client_id: 'scoped', client_secret: secret, scope: 'admin' });
    expect(scope.statusCode).toBe(400);
    expect(scope.json()).toMatchObject({ error: 'invalid_scope' });
  });
});
