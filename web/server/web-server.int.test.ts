// The web server against stand-in auth and read services on real sockets: the session cookie
// flow, the proxies (an event stream must arrive event by event, not buffered), the app's files
// and client-side routes, and a clear 503 when a backend is down.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Fastify, { type FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildWebServer } from './app.js';
import { loadWebConfig } from './config.js';
import { listenLocal } from '../../test/support/listen-local.js';

let auth: FastifyInstance;
let read: FastifyInstance;
let web: FastifyInstance;
let base: string;
let dist: string;
const sendSecondEvent: { resolve?: () => void } = {};

beforeAll(async () => {
  auth = Fastify();
  auth.post('/v1/auth/login', async (request, reply) => {
    const body = request.body as { email: string; password: string };
    if (body.password !== 'right password') return reply.status(401).send({ error: 'invalid-credentials', message: 'email or password is wrong' });
    return { access_token: 'access-1', token_type: 'Bearer', expires_in: 600, refresh_token: 'refresh-1', refresh_token_expires_in: 3600, scope: '' };
  });
  auth.post('/v1/auth/refresh', async (request, reply) => {
    const body = request.body as { refresh_token: string };
    if (body.refresh_token !== 'refresh-1') return reply.status(401).send({ error: 'invalid-refresh-token', message: 'unknown' });
    return { access_token: 'access-2', token_type: 'Bearer', expires_in: 600, refresh_token: 'refresh-2', refresh_token_expires_in: 3600, scope: '' };
  });
  auth.get('/v1/me', (request) => Promise.resolve({ authorization: request.headers.authorization, forwardedFor: request.headers['x-forwarded-for'] }));
  read = Fastify();
  read.get('/v1/households/h1/live', (_request, reply) => {
    reply.hijack();
    reply.raw.writeHead(200, { 'content-type': 'text/event-stream' });
    reply.raw.write('id: 1\nevent: container\ndata: {"n":1}\n\n');
    sendSecondEvent.resolve = () => reply.raw.end('id: 2\nevent: container\ndata: {"n":2}\n\n');
  });
  dist = mkdtempSync(join(tmpdir(), 'em-web-dist-'));
  writeFileSync(join(dist, 'index.html'), '<!doctype html><title>app</title>');
  mkdirSync(join(dist, 'assets'));
  writeFileSync(join(dist, 'assets', 'app-1234.js'), 'export {};');
  const [authUrl, readUrl] = [await listenLocal(auth), await listenLocal(read)];
  web = await buildWebServer(loadWebConfig({ EM_WEB_PORT: '0', EM_WEB_AUTH_URL: authUrl, EM_WEB_READ_URL: readUrl, EM_WEB_DIST_DIR: dist }));
  base = await listenLocal(web);
});

afterAll(async () => {
  await web?.close();
  await auth?.close();
  await read?.close();
  if (dist !== undefined) rmSync(dist, { recursive: true, force: true });
});

const post = (path: string, body: unknown, cookie?: string): Promise<Response> =>
  fetch(`${base}${path}`, { method: 'POST', headers: { 'content-type': 'application/json', ...(cookie === undefined ? {} : { cookie }) }, body: JSON.stringify(body) });

describe('web server', () => {
  it('when logging in, then the refresh token goes into an HttpOnly cookie and only the access token to the page', async () => {
    const response = await post('/api/session/login', { email: 'a@example.org', password: 'right password' });
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ accessToken: 'access-1', expiresInS: 600 });
    const cookie = response.headers.get('set-cookie') ?? '';
    expect(cookie).toMatch(/^em_refresh=refresh-1; Path=\/api\/session; Max-Age=3600; HttpOnly; SameSite=Strict$/);

    const renewed = await post('/api/session/refresh', {}, 'em_refresh=refresh-1');
    expect(await renewed.json()).toEqual({ accessToken: 'access-2', expiresInS: 600 });
    expect(renewed.headers.get('set-cookie')).toMatch(/^em_refresh=refresh-2;/);
  });

  it('when a session route answers (tokens, refusals, logout), then Cache-Control is no-store: no cache keeps an access token', async () => {
    const answers = [
      await post('/api/session/login', { email: 'a@example.org', password: 'right password' }),
      await post('/api/session/refresh', {}, 'em_refresh=refresh-1'),
      await post('/api/session/login', { email: 'a@example.org', password: 'nope' }),
      await post('/api/session/refresh', {}),
      await post('/api/session/logout', {}, 'em_refresh=refresh-2'),
    ];
    expect(answers.map((a) => a.status)).toEqual([200, 200, 401, 401, 204]);
    expect(answers.map((a) => a.headers.get('cache-control'))).toEqual(Array(5).fill('no-store'));
  });

  it('when the password is wrong, then the auth service answer passes through', async () => {
    const response = await post('/api/session/login', { email: 'a@example.org', password: 'nope' });
    expect(response.status).toBe(401);
    expect(((await response.json()) as { error: string }).error).toBe('invalid-credentials');
  });

  it('when refreshing without a cookie or with a spent one, then 401 and the cookie is cleared', async () => {
    expect((await post('/api/session/refresh', {})).status).toBe(401);
    const spent = await post('/api/session/refresh', {}, 'em_refresh=refresh-0');
    expect(spent.status).toBe(401);
    expect(spent.headers.get('set-cookie')).toMatch(/^em_refresh=; .*Max-Age=0/);
  });

  it('when a session route gets a form post, then 415 (no cross-site form can drive it)', async () => {
    const response = await fetch(`${base}/api/session/refresh`, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded', cookie: 'em_refresh=refresh-1' }, body: 'a=1' });
    expect(response.status).toBe(415);
  });

  it('when the login body is malformed, then 400', async () => {
    expect((await post('/api/session/login', { email: 3 })).status).toBe(400);
  });

  it('when calling /api/auth, then the path, bearer token and client address reach the auth service', async () => {
    const response = await fetch(`${base}/api/auth/v1/me`, { headers: { authorization: 'Bearer abc' } });
    expect(await response.json()).toEqual({ authorization: 'Bearer abc', forwardedFor: '127.0.0.1' });
  });

  it('when the read service streams events, then each arrives before the next is sent', async () => {
    const response = await fetch(`${base}/api/read/v1/households/h1/live`);
    expect(response.headers.get('content-type')).toBe('text/event-stream');
    const reader = response.body!.pipeThrough(new TextDecoderStream()).getReader();
    let text = '';
    while (!text.includes('\n\n')) text += (await reader.read()).value ?? '';
    expect(text).toContain('data: {"n":1}');
    sendSecondEvent.resolve?.();
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      text += value;
    }
    expect(text).toContain('data: {"n":2}');
  });

  it('when a page route is opened, then the app is served; an unknown API path is a JSON 404', async () => {
    const page = await fetch(`${base}/history`, { headers: { accept: 'text/html' } });
    expect(page.status).toBe(200);
    expect(await page.text()).toContain('<title>app</title>');
    expect(page.headers.get('content-security-policy')).toContain("default-src 'self'");
    expect(page.headers.get('cache-control')).toBe('no-cache');
    const root = await fetch(`${base}/`);
    expect(root.headers.get('cache-control')).toBe('no-cache');
    const asset = await fetch(`${base}/assets/app-1234.js`);
    expect(asset.status).toBe(200);
    expect(asset.headers.get('cache-control')).toBe('public, max-age=31536000, immutable');
    const api = await fetch(`${base}/api/nothing`);
    expect(api.status).toBe(404);
    expect(((await api.json()) as { error: string }).error).toBe('not-found');
  });

  it('when anything is served, then Permissions-Policy denies device APIs; over http there is no Strict-Transport-Security', async () => {
    for (const response of [await fetch(`${base}/history`, { headers: { accept: 'text/html' } }), await fetch(`${base}/api/nothing`), await post('/api/session/refresh', {})]) {
      const policy = response.headers.get('permissions-policy') ?? '';
      for (const feature of ['camera', 'microphone', 'geolocation', 'payment', 'usb']) expect(policy).toContain(`${feature}=()`);
      expect(response.headers.get('strict-transport-security')).toBeNull();
    }
  });

  it('when served over https (EM_WEB_SECURE_COOKIE on), then every answer carries Strict-Transport-Security', async () => {
    const secure = await buildWebServer(loadWebConfig({ EM_WEB_PORT: '0', EM_WEB_AUTH_URL: 'http://127.0.0.1:1', EM_WEB_READ_URL: 'http://127.0.0.1:1', EM_WEB_DIST_DIR: dist, EM_WEB_SECURE_COOKIE: 'true' }));
    try {
      for (const url of ['/', '/api/nothing']) {
        const response = await secure.inject({ method: 'GET', url, headers: { accept: 'text/html' } });
        expect(response.headers['strict-transport-security']).toBe('max-age=31536000');
        expect(response.headers['permissions-policy']).toContain('camera=()');
      }
    } finally {
      await secure.close();
    }
  });

  it('when the auth service is down, then the session routes answer 503 with a reason', async () => {
    const down = await buildWebServer(loadWebConfig({ EM_WEB_PORT: '0', EM_WEB_AUTH_URL: 'http://127.0.0.1:1', EM_WEB_READ_URL: 'http://127.0.0.1:1', EM_WEB_DIST_DIR: '/nonexistent' }));
    const url = await listenLocal(down);
    try {
      const response = await fetch(`${url}/api/session/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"email":"a@b.c","password":"x"}' });
      expect(response.status).toBe(503);
      expect(((await response.json()) as { error: string }).error).toBe('upstream-unavailable');
      expect(response.headers.get('cache-control')).toBe('no-store');
      const proxied = await fetch(`${url}/api/read/v1/households/h1/devices`);
      expect(proxied.status).toBe(503);
      expect(await proxied.json()).toEqual({ error: 'upstream-unavailable', message: 'the read service cannot be reached right now; retry shortly' });
    } finally {
      await down.close();
    }
  });
});
