// Requests curl and other clients make that the proxy once turned into a false 503: an
// `Expect: 100-continue` (curl sends it for bodies over 1 MiB) and other per-hop headers undici
// refuses.
// Real sockets throughout: the real auth service on a real PostgreSQL, and a read stand-in built
// as the read service is (lib/http/http-app.ts, its 16 KiB limit).
import { request as httpRequest, type OutgoingHttpHeaders } from 'node:http';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createHttpApp } from '../../lib/http/http-app.js';
import { silentLogger } from '../../lib/log.js';
import { startTestService, TEST_PASSWORD, type TestService, type TestUser } from '../../services/auth/test/auth-test-service.js';
import { listenLocal } from '../../test/support/listen-local.js';
import { buildWebServer } from './app.js';
import { loadWebConfig } from './config.js';

let auth: TestService;
let user: TestUser;
let read: FastifyInstance;
let web: FastifyInstance;
let base: string;

beforeAll(async () => {
  auth = await startTestService('web_proxy');
  user = await auth.newUser('proxy');
  const authUrl = `http://127.0.0.1:${(auth.service.app.server.address() as { port: number }).port}`;
  read = await createHttpApp({ log: silentLogger(), bodyLimitBytes: 16 * 1024, openapi: { title: 'read stand-in', version: '1' } });
  read.get('/v1/households/h1/devices', () => ({ devices: [] }));
  const readUrl = await listenLocal(read);
  web = await buildWebServer(
    loadWebConfig({ EM_WEB_PORT: '0', EM_WEB_AUTH_URL: authUrl, EM_WEB_READ_URL: readUrl, EM_WEB_ALERTS_URL: readUrl, EM_WEB_DIST_DIR: '/nonexistent' }),
  );
  base = await listenLocal(web);
});

afterAll(async () => {
  await web?.close();
  await read?.close();
  await auth?.close();
});

interface Answer {
  readonly status: number;
  readonly body: { error?: string; message?: string; access_token?: string };
  /** The server answered 100 Continue (only when the request asked for it). */
  readonly continued?: true;
}

/**
 * One request over its own connection, as curl makes it. With `Expect: 100-continue` the body
 * waits for the server's 100 Continue, as curl's does. A connection the server resets before an
 * answer arrives is a failed test, not a crash: `status` 0 and the error in `message`.
 */
function send(method: string, path: string, headers: OutgoingHttpHeaders, body: Buffer | readonly Buffer[]): Promise<Answer> {
  return new Promise((resolve) => {
    // A whole body goes with its Content-Length, as curl sends it; a list of chunks, chunked.
    const length = Buffer.isBuffer(body) && body.length > 0 ? { 'content-length': body.length } : {};
    const req = httpRequest(`${base}${path}`, { method, headers: { ...length, ...headers }, agent: false });
    let continued = false;
    const writeBody = (): void => {
      if (Buffer.isBuffer(body)) req.end(body);
      else {
        for (const chunk of body) req.write(chunk);
        req.end();
      }
    };
    req.on('response', (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('end', () => {
        const text = Buffer.concat(chunks).toString('utf8');
        resolve({ status: res.statusCode ?? 0, body: text === '' ? {} : (JSON.parse(text) as Answer['body']), ...(continued ? { continued: true } : {}) });
      });
    });
    req.on('error', (err) => resolve({ status: 0, body: { message: err.message } }));
    if (headers.expect === undefined) writeBody();
    else
      req.on('continue', () => {
        continued = true;
        writeBody();
      });
  });
}

const json = (value: unknown): Buffer => Buffer.from(JSON.stringify(value));

describe('the API proxy and what clients send', () => {
  it('when a login carries Expect: 100-continue (curl, over 1 MiB), then the auth service answers it, not a 503', async () => {
    const headers = { 'content-type': 'application/json', expect: '100-continue' };
    const right = await send('POST', '/api/auth/v1/auth/login', headers, json({ email: user.email, password: TEST_PASSWORD }));
    expect(right).toMatchObject({ status: 200, continued: true });
    expect(typeof right.body.access_token).toBe('string');
    const wrong = await send('POST', '/api/auth/v1/auth/login', headers, json({ email: user.email, password: 'not the password' }));
    expect(wrong).toEqual({ status: 401, body: { error: 'invalid-credentials', message: 'email or password is wrong' }, continued: true });
  });

  it('when a request carries per-hop headers undici refuses (Keep-Alive, Upgrade, TE, Proxy-Connection, chunked), then the service answers it', async () => {
    const login = json({ email: user.email, password: TEST_PASSWORD });
    const cases: OutgoingHttpHeaders[] = [
      { 'keep-alive': 'timeout=5' },
      { upgrade: 'h2c' },
      { connection: 'keep-alive, upgrade', upgrade: 'websocket' },
      { te: 'trailers' },
      { 'proxy-connection': 'keep-alive' },
      { 'transfer-encoding': 'chunked' },
    ];
    for (const extra of cases) {
      const body = extra['transfer-encoding'] === undefined ? login : [login.subarray(0, 10), login.subarray(10)];
      const answer = await send('POST', '/api/auth/v1/auth/login', { 'content-type': 'application/json', ...extra }, body);
      expect({ extra, status: answer.status }).toEqual({ extra, status: 200 });
    }
    const devices = await send('GET', '/api/read/v1/households/h1/devices', { 'keep-alive': 'timeout=5', upgrade: 'h2c' }, Buffer.alloc(0));
    expect(devices).toEqual({ status: 200, body: { devices: [] } });
  });
});
