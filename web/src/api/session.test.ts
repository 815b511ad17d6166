import { afterEach, describe, expect, it, vi } from 'vitest';
import { ApiClient } from './client';
import { Session } from './session';

const json = (status: number, body: unknown): Response => new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json' } });

afterEach(() => vi.useRealTimers());

const urlOf = (input: RequestInfo | URL): string => (input instanceof Request ? input.url : input.toString());

describe('session', () => {
  it('when 80 % of the token lifetime has passed, then it is renewed silently', async () => {
    vi.useFakeTimers();
    let issued = 0;
    const fetchFn = vi.fn((url: RequestInfo | URL) => Promise.resolve(json(200, { accessToken: `${urlOf(url)}#${++issued}`, expiresInS: 600 })));
    const session = new Session(fetchFn);
    await session.login('a@example.org', 'pw');
    expect(session.token()).toBe('/api/session/login#1');
    await vi.advanceTimersByTimeAsync(479_000);
    expect(fetchFn).toHaveBeenCalledTimes(1);
    await vi.advanceTimersByTimeAsync(2_000);
    expect(session.token()).toBe('/api/session/refresh#2');
    session.end();
  });

  it('when a call is refused with 401, then the token is renewed once and the call repeated', async () => {
    const seen: (string | null)[] = [];
    const fetchFn = vi.fn((url: RequestInfo | URL, init?: RequestInit) => {
      if (urlOf(url) === '/api/session/refresh') return Promise.resolve(json(200, { accessToken: 'fresh', expiresInS: 600 }));
      const auth = new Headers(init?.headers).get('authorization');
      seen.push(auth);
      return Promise.resolve(auth === 'Bearer fresh' ? json(200, { ok: true }) : json(401, { error: 'unauthenticated', message: 'expired' }));
    });
    const session = new Session(fetchFn);
    const client = new ApiClient(session, fetchFn);
    expect(await client.json('/api/read', '/v1/x')).toEqual({ ok: true });
    expect(seen).toEqual([null, 'Bearer fresh']);
    session.end();
  });

  it('when the session cannot be renewed, then it ends and the call fails with the service message', async () => {
    const fetchFn = vi.fn((url: RequestInfo | URL) =>
      Promise.resolve(urlOf(url) === '/api/session/refresh' ? json(401, { error: 'invalid-refresh-token', message: 'gone' }) : json(401, { error: 'unauthenticated', message: 'the access token is not valid' })),
    );
    const session = new Session(fetchFn);
    const statuses: string[] = [];
    session.subscribe((s) => statuses.push(s));
    await expect(new ApiClient(session, fetchFn).json('/api/read', '/v1/x')).rejects.toThrow('the access token is not valid');
    expect(statuses).toEqual(['anonymous']);
  });
});
