import { describe, expect, it } from 'vitest';
import { createServiceTokenSource } from '../service-token-source.js';

function tokenEndpoint(expiresInS: number, status = 200) {
  const requests: { auth: string | null; body: string }[] = [];
  const fake: typeof fetch = (_url, init) => {
    const headers = new Headers(init?.headers);
    requests.push({ auth: headers.get('authorization'), body: typeof init?.body === 'string' ? init.body : '' });
    const body = status === 200 ? { access_token: `t${requests.length}`, token_type: 'Bearer', expires_in: expiresInS } : { error: 'invalid_client' };
    return Promise.resolve(new Response(JSON.stringify(body), { status }));
  };
  return { fake, requests };
}

describe('service token source', () => {
  it('when asked repeatedly, then one token is fetched with Basic client authentication and reused', async () => {
    const { fake, requests } = tokenEndpoint(600);
    const now = 1_000_000;
    const source = createServiceTokenSource({ tokenUrl: 'http://auth/oauth/token', clientId: 'read service', clientSecret: 's:e', scope: 'readings:subscribe-all', fetch: fake, now: () => now });
    expect(await Promise.all([source(), source()])).toEqual(['t1', 't1']);
    expect(await source()).toBe('t1');
    expect(requests).toHaveLength(1);
    // RFC 6749 §2.3.1: form-urlencoded before Base64.
    expect(Buffer.from((requests[0]?.auth ?? '').replace('Basic ', ''), 'base64').toString()).toBe('read%20service:s%3Ae');
    expect(new URLSearchParams(requests[0]?.body)).toEqual(new URLSearchParams({ grant_type: 'client_credentials', scope: 'readings:subscribe-all' }));
  });

  it('when the token nears expiry, then a fresh one is fetched', async () => {
    const { fake, requests } = tokenEndpoint(600);
    let now = 0;
    const source = createServiceTokenSource({ tokenUrl: 'http://auth/oauth/token', clientId: 'c', clientSecret: 's', renewBeforeMs: 60_000, fetch: fake, now: () => now });
    expect(await source()).toBe('t1');
    now = 539_000;
    expect(await source()).toBe('t1');
    now = 541_000;
    expect(await source()).toBe('t2');
    expect(requests).toHaveLength(2);
  });

  it('when the endpoint refuses, then the error names the status and the next call tries again', async () => {
    const { fake, requests } = tokenEndpoint(600, 401);
    const source = createServiceTokenSource({ tokenUrl: 'http://auth/oauth/token', clientId: 'c', clientSecret: 'wrong', fetch: fake });
    await expect(source()).rejects.toThrow(/answered 401/);
    await expect(source()).rejects.toThrow(/answered 401/);
    expect(requests).toHaveLength(2);
  });
});
