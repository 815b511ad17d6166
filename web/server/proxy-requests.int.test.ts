// Requests curl and other clients make that the proxy once turned into a false 503: an
// `Expect: 100-continue` (curl sends it for bodies over 1 MiB) and other per-hop headers undici
// refuses, and bodies far over the services' limits, which raced the service closing after its 413.
// A refused body's 413 must reach the client however large the body: no 100 Continue for it, and
// what the client still writes is read and dropped rather than reset.
// Real sockets throughout: the real auth service on a real PostgreSQL, and a read stand-in built
// as the read service is (lib/http/http-app.ts, its 16 KiB limit).
import { request as httpRequest, type OutgoingHttpHeaders } from 'node:http';
import { connect } from 'node:net';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createHttpApp } from '../../lib/http/http-app.js';
import { silentLogger } from '../../lib/log.js';
import { startTestService, TEST_PASSWORD, type TestService, type TestUser } from '../../services/auth/test/auth-test-service.js';
import { listenLocal } from '../../test/support/listen-local.js';
import { buildWebServer } from './app.js';
import { loadWebConfig } from './config.js';

const PROXY_LIMIT_BYTES = 64 * 1024;

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
/** A JSON document of about `bytes` bytes: a login with a long padding field. */
const bigLogin = (bytes: number): Buffer => json({ email: 'x@example.org', password: 'p', padding: 'x'.repeat(bytes) });

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

  it('when bodies of 1 MB and 3 MB are sent again and again, with and without Expect, then every one is a 413 from the proxy', async () => {
    // With Expect the 413 comes instead of 100 Continue: the client never sends the body.
    const tooLarge = { status: 413, body: { error: 'body-too-large', message: `request body exceeds ${PROXY_LIMIT_BYTES} bytes` } };
    for (const bytes of [1_000_000, 3_000_000]) {
      const body = bigLogin(bytes);
      for (const path of ['/api/read/v1/households/h1/devices', '/api/auth/v1/auth/login', '/api/alerts/v1/households/h1/devices']) {
        for (let round = 0; round < 4; round += 1) {
          const headers = { 'content-type': 'application/json', ...(round % 2 === 1 ? { expect: '100-continue' } : {}) };
          expect({ path, bytes, round, answer: await send('POST', path, headers, body) }).toEqual({ path, bytes, round, answer: tooLarge });
        }
      }
      // Without Content-Length (chunked) the proxy counts as the body arrives.
      const chunked = await send('POST', '/api/read/v1/households/h1/devices', { 'content-type': 'application/json' }, [body.subarray(0, 1000), body.subarray(1000)]);
      expect(chunked).toEqual(tooLarge);
    }
  });

  it('when a body is under the proxy limit but over the service limit, then the service 413 reaches the client each time', async () => {
    for (let round = 0; round < 5; round += 1) {
      const answer = await send('POST', '/api/auth/v1/auth/login', { 'content-type': 'application/json' }, bigLogin(40_000));
      expect(answer).toEqual({ status: 413, body: { error: 'body-too-large', message: 'request body exceeds 16384 bytes' } });
    }
  });

  it('when a client keeps writing a refused body after its 413, then the rest is read and dropped and the connection serves the next request', async () => {
    const total = 30_000_000;
    const { port } = new URL(base);
    const socket = connect(Number(port), '127.0.0.1');
    let received = '';
    let failure = '';
    socket.on('data', (chunk: Buffer) => (received += chunk.toString('latin1')));
    socket.on('error', (err) => (failure = err.message));
    socket.on('close', () => (failure ||= 'closed by the server'));
    const write = (data: string | Buffer): Promise<void> => new Promise((resolve) => socket.write(data, () => resolve()));
    const until = async (text: string): Promise<void> => {
      for (let waited = 0; !received.includes(text) && failure === '' && waited < 10_000; waited += 10) await new Promise((resolve) => setTimeout(resolve, 10));
    };
    try {
      await write(`POST /api/read/v1/households/h1/devices HTTP/1.1\r\nhost: web\r\ncontent-type: application/json\r\ncontent-length: ${total}\r\n\r\n`);
      await write(Buffer.alloc(1_000_000, 'x'));
      await until('request body exceeds');
      expect(received).toMatch(/^HTTP\/1\.1 413 /);
      // Written only now that the 413 is in: an answer-and-close would reset these writes.
      for (let sent = 1_000_000; sent < total && failure === ''; sent += 1_000_000) await write(Buffer.alloc(1_000_000, 'x'));
      await write('GET /api/read/v1/households/h1/devices HTTP/1.1\r\nhost: web\r\n\r\n');
      await until('{"devices":[]}');
      expect({ failure, next: received.includes('{"devices":[]}') }).toEqual({ failure: '', next: true });
    } finally {
      socket.destroy();
    }
  });
});
