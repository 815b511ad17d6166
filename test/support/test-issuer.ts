// A token issuer for tests: real key pairs (jose), a JWKS served over HTTP on a free port, and
// helpers that mint access tokens shaped like ours (RFC 9068, EdDSA) or like Keycloak's (RS256).
// Reuse it wherever a test needs a signed token:
//   const issuer = await startTestIssuer();
//   const verifier = createTokenVerifier(issuer.verifierOptions);
//   const token = await issuer.userToken('subject-1');
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { exportJWK, generateKeyPair, SignJWT, type CryptoKey, type JWK, type JWTPayload } from 'jose';

export const TEST_AUDIENCE = 'energymonitor';

export interface SigningKey {
  readonly kid: string;
  readonly alg: 'EdDSA' | 'RS256' | 'ES256';
  readonly privateKey: CryptoKey;
  readonly publicJwk: JWK;
}

export interface SignOptions {
  /** Header `typ`; default `at+jwt`. `null` leaves it out (Keycloak style). */
  readonly typ?: string | null;
  readonly key?: SigningKey;
  readonly issuer?: string;
  readonly audience?: string | string[];
  /** Lifetime in seconds from now; negative for an expired token. Default 600. */
  readonly expiresInS?: number;
  readonly subject?: string;
}

export interface TestIssuer {
  readonly issuer: string;
  readonly jwksUrl: string;
  readonly audience: string;
  /** Options for createTokenVerifier (lib/auth/token-verifier.ts) that trust this issuer. */
  readonly verifierOptions: { readonly issuer: string; readonly audience: string; readonly jwksUrl: string };
  readonly eddsaKey: SigningKey;
  readonly rsaKey: SigningKey;
  /** Times the JWKS was fetched. */
  readonly jwksFetches: () => number;
  newKey(alg: SigningKey['alg'], kid: string): Promise<SigningKey>;
  /** Serves `keys` (default: the EdDSA and RSA keys) from now on. */
  publish(keys: readonly SigningKey[]): void;
  /** While down, the JWKS endpoint answers 503. */
  setDown(down: boolean): void;
  sign(claims: JWTPayload, options?: SignOptions): Promise<string>;
  /** A homeowner's access token as our issuer mints it. */
  userToken(subject: string, options?: SignOptions & { readonly roles?: string[]; readonly scope?: string }): Promise<string>;
  /** A client_credentials token as our issuer mints it (`client_id` = `sub`). */
  serviceToken(clientId: string, scope: string, options?: SignOptions): Promise<string>;
  close(): Promise<void>;
}

export async function makeSigningKey(alg: SigningKey['alg'], kid: string): Promise<SigningKey> {
  const { privateKey, publicKey } = await generateKeyPair(alg, alg === 'EdDSA' ? { crv: 'Ed25519' } : {});
  return { kid, alg, privateKey, publicJwk: { ...(await exportJWK(publicKey)), kid, alg, use: 'sig' } };
}

export async function startTestIssuer(): Promise<TestIssuer> {
  const eddsaKey = await makeSigningKey('EdDSA', 'ed-1');
  const rsaKey = await makeSigningKey('RS256', 'rsa-1');
  let keys: readonly SigningKey[] = [eddsaKey, rsaKey];
  let down = false;
  let fetches = 0;
  const server = createServer((req, res) => {
    fetches += 1;
    if (down || req.url !== '/jwks.json') {
      res.writeHead(down ? 503 : 404).end();
      return;
    }
    res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ keys: keys.map((k) => k.publicJwk) }));
  });
  const port = await listen(server);
  const base = `http://127.0.0.1:${port}`;
  const issuer = `${base}/issuer`;
  const jwksUrl = `${base}/jwks.json`;

  const sign = async (claims: JWTPayload, options: SignOptions = {}): Promise<string> => {
    const key = options.key ?? eddsaKey;
    const typ = options.typ === undefined ? 'at+jwt' : options.typ;
    const jwt = new SignJWT({ jti: crypto.randomUUID(), ...claims })
      .setProtectedHeader({ alg: key.alg, kid: key.kid, ...(typ === null ? {} : { typ }) })
      .setIssuer(options.issuer ?? issuer)
      .setAudience(options.audience ?? TEST_AUDIENCE)
      .setIssuedAt()
      .setExpirationTime(Math.floor(Date.now() / 1000) + (options.expiresInS ?? 600));
    if (options.subject !== undefined) jwt.setSubject(options.subject);
    return jwt.sign(key.privateKey);
  };

  return {
    issuer,
    jwksUrl,
    audience: TEST_AUDIENCE,
    verifierOptions: { issuer, audience: TEST_AUDIENCE, jwksUrl },
    eddsaKey,
    rsaKey,
    jwksFetches: () => fetches,
    newKey: makeSigningKey,
    publish(next) {
      keys = next;
    },
    setDown(value) {
      down = value;
    },
    sign,
    userToken: (subject, options = {}) =>
      sign({ roles: options.roles ?? [], scope: options.scope ?? 'openid' }, { ...options, subject }),
    serviceToken: (clientId, scope, options = {}) => sign({ client_id: clientId, scope }, { ...options, subject: clientId }),
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

function listen(server: Server): Promise<number> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve((server.address() as AddressInfo).port));
  });
}
