import { afterEach, describe, expect, it, vi } from 'vitest';
import { ApiClient } from './client';
import { retryDelayS, Session } from './session';

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

  it('when the auth service cannot answer at start (503), then the session is unreachable, not logged out, and is asked again by itself', async () => {
    vi.useFakeTimers();
    let up = false;
    const fetchFn = vi.fn(() =>
      Promise.resolve(up ? json(200, { accessToken: 'back', expiresInS: 600 }) : json(503, { error: 'upstream-unavailable', message: 'the auth service cannot be reached' })),
    );
    const session = new Session(fetchFn);
    const statuses: string[] = [];
    session.subscribe((s) => statuses.push(s));
    expect(await session.refresh()).toBe(false);
    expect(session.status).toBe('unreachable');
    expect(session.problem?.message).toBe('the auth service cannot be reached');
    await vi.advanceTimersByTimeAsync(5_000);
    expect(fetchFn).toHaveBeenCalledTimes(2);
    up = true;
    await vi.advanceTimersByTimeAsync(10_000);
    expect(fetchFn).toHaveBeenCalledTimes(3);
    expect(session.status).toBe('authenticated');
    expect(session.token()).toBe('back');
    expect(session.problem).toBeUndefined();
    expect(statuses).toEqual(['unreachable', 'unreachable', 'authenticated']);
    session.end();
  });

  it('when the network fails at start, then the session is unreachable and retries back off to a minute apart', async () => {
    vi.useFakeTimers();
    const fetchFn = vi.fn(() => Promise.reject(new TypeError('Failed to fetch')));
    const session = new Session(fetchFn);
    await session.refresh();
    expect(session.status).toBe('unreachable');
    expect(session.problem?.code).toBe('network');
    const callsAfter = async (ms: number): Promise<number> => {
      await vi.advanceTimersByTimeAsync(ms);
      return fetchFn.mock.calls.length;
    };
    expect([await callsAfter(4_999), await callsAfter(1)]).toEqual([1, 2]);
    expect([await callsAfter(9_999), await callsAfter(1)]).toEqual([2, 3]);
    expect([1, 2, 3, 4, 5, 6, 9].map(retryDelayS)).toEqual([5, 10, 20, 40, 60, 60, 60]);
    session.end();
  });

  it('when the server says at start that there is no session (401), then it is logged out', async () => {
    const session = new Session(() => Promise.resolve(json(401, { error: 'no-session', message: 'not logged in' })));
    expect(await session.refresh()).toBe(false);
    expect(session.status).toBe('anonymous');
  });

  it('when a call meets an expired token and the renewal cannot reach the auth service, then the call fails with that reason and the session goes on', async () => {
    const fetchFn = vi.fn((url: RequestInfo | URL) =>
      Promise.resolve(urlOf(url) === '/api/session/refresh' ? json(503, { error: 'upstream-unavailable', message: 'the auth service cannot be reached' }) : json(401, { error: 'unauthenticated', message: 'expired' })),
    );
    const session = new Session(fetchFn);
    session.status = 'authenticated';
    await expect(new ApiClient(session, fetchFn).json('/api/read', '/v1/x')).rejects.toThrow('the auth service cannot be reached');
    expect(session.status).toBe('authenticated');
    session.end();
  });

  it('when the server confirms the logout, then the session ends', async () => {
    const fetchFn = vi.fn((url: RequestInfo | URL) => Promise.resolve(urlOf(url) === '/api/session/logout' ? new Response(null, { status: 204 }) : json(200, { accessToken: 'tok', expiresInS: 600 })));
    const session = new Session(fetchFn);
    await session.login('a@example.org', 'pw');
    await session.logout();
    expect(session.status).toBe('anonymous');
    expect(session.token()).toBeUndefined();
  });

  it.each([
    ['the network fails', (): Promise<Response> => Promise.reject(new TypeError('Failed to fetch')), 'Cannot reach the server'],
    ['the server answers 503', (): Promise<Response> => Promise.resolve(json(503, { error: 'upstream-unavailable', message: 'the web server is restarting' })), 'the web server is restarting'],
  ])('when the logout is not confirmed (%s), then it throws and the session goes on', async (_case, logoutAnswer, reason) => {
    const fetchFn = vi.fn((url: RequestInfo | URL) => (urlOf(url) === '/api/session/logout' ? logoutAnswer() : Promise.resolve(json(200, { accessToken: 'tok', expiresInS: 600 }))));
    const session = new Session(fetchFn);
    await session.login('a@example.org', 'pw');
    await expect(session.logout()).rejects.toThrow(reason);
    expect(session.status).toBe('authenticated');
    expect(session.token()).toBe('tok');
    session.end();
  });
});
