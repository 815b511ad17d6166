// The auth service's own verifier (domain/access-tokens.ts) and the one read, alerts, the broker and
// the web server use (lib/auth/token-verifier.ts) say the same about every token: one clock
// tolerance, one typ check. A token good in one place and expired in another was the bug.
import { exportJWK, generateKeyPair, type JWTPayload } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CLOCK_TOLERANCE_S, createTokenVerifier } from '../../../lib/auth/token-verifier.js';
import { startTestIssuer, TEST_AUDIENCE, type SigningKey, type SignOptions, type TestIssuer } from '../../../test/support/test-issuer.js';
import type { Db } from '../data/db.js';
import { createAccessTokens, type AccessTokens } from '../domain/access-tokens.js';

let issuer: TestIssuer;
let own: AccessTokens;
let key: SigningKey;

beforeAll(async () => {
  issuer = await startTestIssuer();
  // One Ed25519 key: published by the test issuer's JWKS, and the auth service's key row.
  const { privateKey, publicKey } = await generateKeyPair('EdDSA', { crv: 'Ed25519', extractable: true });
  const meta = { kid: 'ed-agree', alg: 'EdDSA', use: 'sig' };
  const publicJwk = { ...(await exportJWK(publicKey)), ...meta };
  key = { kid: meta.kid, alg: 'EdDSA', privateKey, publicJwk };
  issuer.publish([key]);
  const keyRow = { kid: meta.kid, private_jwk: { ...(await exportJWK(privateKey)), ...meta }, public_jwk: publicJwk, retired_at: null };
  const db = { query: () => Promise.resolve([keyRow]) } as unknown as Db;
  own = createAccessTokens(db, { issuer: issuer.issuer, audience: TEST_AUDIENCE });
});
afterAll(() => issuer.close());

const accepted = (verify: Promise<unknown>): Promise<boolean> =>
  verify.then(
    () => true,
    () => false,
  );

async function verdicts(claims: JWTPayload, options: SignOptions): Promise<{ auth: boolean; shared: boolean }> {
  const token = await issuer.sign({ sub: 'user-1', client_id: 'energymonitor-web', ...claims }, { key, ...options });
  const shared = createTokenVerifier(issuer.verifierOptions);
  return { auth: await accepted(own.verify(token)), shared: await accepted(shared.verify(token)) };
}

describe('auth and shared token verifiers', () => {
  it('when a token expired 20 s ago (within the tolerance), then both accept it', async () => {
    expect(CLOCK_TOLERANCE_S).toBeGreaterThan(20);
    expect(await verdicts({}, { expiresInS: -20 })).toEqual({ auth: true, shared: true });
  });

  it('when a token expired beyond the tolerance, then both refuse it', async () => {
    expect(await verdicts({}, { expiresInS: -(CLOCK_TOLERANCE_S + 10) })).toEqual({ auth: false, shared: false });
  });

  it('when the header typ is not an access token type, then both refuse it', async () => {
    expect(await verdicts({}, { typ: 'JWT' })).toEqual({ auth: false, shared: false });
  });

  it('when a typ claim names another token type (a refresh or id token), then both refuse it even with typ at+jwt', async () => {
    expect(await verdicts({ typ: 'Refresh' }, {})).toEqual({ auth: false, shared: false });
  });

  it('when typ is application/at+jwt, then both accept it (RFC 9068 §4)', async () => {
    expect(await verdicts({}, { typ: 'application/at+jwt' })).toEqual({ auth: true, shared: true });
  });
});
