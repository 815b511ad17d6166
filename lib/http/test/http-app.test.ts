import { connect } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { silentLogger } from '../../log.js';
import { createHttpApp, HTTP_HEADERS_TIMEOUT_MS, HTTP_REQUEST_TIMEOUT_MS, HttpError, type HttpApp } from '../http-app.js';

async function appWithRoutes() {
  const app = await createHttpApp({ log: silentLogger(), bodyLimitBytes: 1024, openapi: { title: 't', version: '1' } });
  app.post('/echo', { schema: { body: z.object({ name: z.string().min(1).max(10) }) } }, (request) => ({
    name: request.body.name,
  }));
  app.get('/teapot', () => {
    throw new HttpError(418, 'teapot', 'I am a teapot', { 'retry-after': '3' });
  });
  app.get('/full-teapot', () => {
    throw new HttpError(409, 'full', 'the pot is full', {}, [{ cups: 4 }]);
  });
  app.get('/boom', () => {
    throw new Error('secret detail');
  });
  await app.ready();
  return app;
}

describe('http app', () => {
  it('when the body breaks the schema, then 400 names the field', async () => {
    const app = await appWithRoutes();
    const response = await app.inject({ method: 'POST', url: '/echo', payload: { name: '' } });
    expect(response.statusCode).toBe(400);
    expect(response.json<{ error: string; message: string }>()).toMatchObject({ error: 'invalid-request' });
    expect(response.json<{ message: string }>().message).toContain('body.name');
  });

  it('when the body is too large, then 413 before parsing', async () => {
    const app = await appWithRoutes();
    const response = await app.inject({ method: 'POST', url: '/echo', payload: { name: 'x'.repeat(5000) } });
    expect(response.statusCode).toBe(413);
    expect(response.json()).toMatchObject({ error: 'body-too-large' });
  });

  it('when JSON is malformed, then 400 with a reason', async () => {
    const app = await appWithRoutes();
    const response = await app.inject({
      method: 'POST',
      url: '/echo',
      headers: { 'content-type': 'application/json' },
      payload: '{"name":',
    });
    expect(response.statusCode).toBe(400);
    expect(response.json()).toEqual({ error: 'invalid-request', message: expect.stringMatching(/^the body is not valid JSON: /) as unknown });
  });

  it.each([
    ['valid JSON with a __proto__ key', 'application/json', '{"name":"x","__proto__":{"admin":true}}', 400, 'invalid-request', /__proto__.*prototype poisoning/],
    ['a constructor.prototype key', 'application/json', '{"name":"x","constructor":{"prototype":{"admin":true}}}', 400, 'invalid-request', /prototype poisoning/],
    ['an empty body declared as JSON', 'application/json', '', 400, 'invalid-request', /body is empty but content-type says application\/json/],
    ['a content type no parser takes', 'text/xml', '<name>x</name>', 415, 'unsupported-media-type', /content-type "text\/xml"/],
  ])('when the body is %s, then the answer uses a catalogue code, never a Fastify one', async (_what, contentType, payload, status, code, message) => {
    const app = await appWithRoutes();
    const response = await app.inject({ method: 'POST', url: '/echo', headers: { 'content-type': contentType }, payload });
    expect(response.statusCode).toBe(status);
    expect(response.json<{ error: string }>().error).toBe(code);
    expect(response.json<{ message: string }>().message).toMatch(message);
  });

  it.each(['text/plain', 'text/plain; charset=utf-8'])('when a JSON body comes as %s, then 415 unsupported-media-type, not a schema error about a string', async (contentType) => {
    const app = await appWithRoutes();
    const response = await app.inject({ method: 'POST', url: '/echo', headers: { 'content-type': contentType }, payload: '{"name":"x"}' });
    expect(response.statusCode, response.body).toBe(415);
    expect(response.json()).toEqual({ error: 'unsupported-media-type', message: `this endpoint does not take content-type ${JSON.stringify(contentType)}` });
  });

  it('when a route takes another type in its own plugin, then that type works there and JSON and no body still work elsewhere', async () => {
    const app = await createHttpApp({ log: silentLogger(), bodyLimitBytes: 1024, openapi: { title: 't', version: '1' } });
    await app.register((scope, _options, done) => {
      scope.addContentTypeParser('application/x-www-form-urlencoded', { parseAs: 'string' }, (_request, body, parsed) => parsed(null, Object.fromEntries(new URLSearchParams(String(body)))));
      scope.post('/form', (request) => request.body);
      done();
    });
    app.post('/json', (request) => ({ got: request.body ?? null }));
    const form = await app.inject({ method: 'POST', url: '/form', headers: { 'content-type': 'application/x-www-form-urlencoded' }, payload: 'a=1' });
    expect(form.json()).toEqual({ a: '1' });
    expect((await app.inject({ method: 'POST', url: '/json', headers: { 'content-type': 'application/x-www-form-urlencoded' }, payload: 'a=1' })).statusCode).toBe(415);
    expect((await app.inject({ method: 'POST', url: '/json', payload: { a: 1 } })).json()).toEqual({ got: { a: 1 } });
    expect((await app.inject({ method: 'POST', url: '/json' })).json()).toEqual({ got: null });
  });

  it('when the URL is badly percent-encoded or a path segment too long, then 400 invalid-request, never a Fastify code', async () => {
    const app = await createHttpApp({ log: silentLogger(), bodyLimitBytes: 1024, openapi: { title: 't', version: '1' } });
    app.get('/things/:id', (request) => request.params);
    for (const url of ['/things/%E0%A4%A', `/things/${'a'.repeat(200)}`]) {
      const response = await app.inject({ method: 'GET', url });
      expect(response.statusCode, url).toBe(400);
      expect(response.json<{ error: string }>().error).toBe('invalid-request');
      expect(response.body).not.toContain('FST_ERR');
    }
  });

  it('maps HttpError to its status, code and headers; hides unexpected errors', async () => {
    const app = await appWithRoutes();
    const teapot = await app.inject({ method: 'GET', url: '/teapot' });
    expect(teapot.statusCode).toBe(418);
    expect(teapot.headers['retry-after']).toBe('3');
    expect(teapot.json()).toEqual({ error: 'teapot', message: 'I am a teapot' });
    const boom = await app.inject({ method: 'GET', url: '/boom' });
    expect(boom.statusCode).toBe(500);
    expect(boom.body).not.toContain('secret detail');
  });

  it('when an HttpError carries details, then the body has them; without, it has none', async () => {
    const app = await appWithRoutes();
    expect((await app.inject({ method: 'GET', url: '/full-teapot' })).json()).toEqual({ error: 'full', message: 'the pot is full', details: [{ cups: 4 }] });
    expect((await app.inject({ method: 'GET', url: '/teapot' })).json()).not.toHaveProperty('details');
  });

  it('when X-Forwarded-For comes from a peer that is not a trusted proxy, then request.ip stays the peer', async () => {
    for (const trustProxy of [undefined, false, [], ['127.0.0.1']] as const) {
      const app = await createHttpApp({ log: silentLogger(), bodyLimitBytes: 1024, openapi: { title: 't', version: '1' }, ...(trustProxy === undefined ? {} : { trustProxy }) });
      app.get('/ip', (request) => ({ ip: request.ip }));
      const spoofed = await app.inject({ method: 'GET', url: '/ip', remoteAddress: '203.0.113.9', headers: { 'x-forwarded-for': '10.0.0.1' } });
      expect(spoofed.json()).toEqual({ ip: '203.0.113.9' });
    }
  });

  it('when a trusted proxy forwards, then request.ip is the right-most address it did not add itself', async () => {
    const app = await createHttpApp({ log: silentLogger(), bodyLimitBytes: 1024, openapi: { title: 't', version: '1' }, trustProxy: ['127.0.0.1'] });
    app.get('/ip', (request) => ({ ip: request.ip }));
    const forwarded = await app.inject({ method: 'GET', url: '/ip', remoteAddress: '127.0.0.1', headers: { 'x-forwarded-for': '10.0.0.1, 198.51.100.7' } });
    expect(forwarded.json()).toEqual({ ip: '198.51.100.7' });
  });

  it('sends security headers, a JSON 404, and an OpenAPI document', async () => {
    const app = await appWithRoutes();
    const missing = await app.inject({ method: 'GET', url: '/nope' });
    expect(missing.statusCode).toBe(404);
    expect(missing.headers['x-content-type-options']).toBe('nosniff');
    expect(missing.headers['content-security-policy']).toContain("default-src 'none'");
    const doc = (await app.inject({ method: 'GET', url: '/openapi.json' })).json<{ paths: Record<string, unknown> }>();
    expect(Object.keys(doc.paths)).toContain('/echo');
  });
});

// Real sockets: what a stalled client does to a listening server depends on Node's HTTP server.
describe('request timeout', () => {
  const TIMEOUT_MS = 400;
  let app: HttpApp | undefined;
  afterEach(async () => app?.close());

  async function listening(): Promise<number> {
    app = await createHttpApp({ log: silentLogger(), bodyLimitBytes: 1024, openapi: { title: 't', version: '1' }, requestTimeoutMs: TIMEOUT_MS });
    app.post('/echo', { schema: { body: z.object({ name: z.string() }) } }, (request) => ({ name: request.body.name }));
    // A long response, as the read service's live stream (SSE) is: written for far longer than the timeout.
    app.get('/stream', (_request, reply) => {
      reply.hijack();
      reply.raw.writeHead(200, { 'content-type': 'text/event-stream' });
      let sent = 0;
      const timer = setInterval(() => {
        reply.raw.write(`data: ${++sent}\n\n`);
        if (sent === 8) {
          clearInterval(timer);
          reply.raw.end();
        }
      }, TIMEOUT_MS / 2);
    });
    await app.listen({ port: 0, host: '127.0.0.1' });
    const address = app.server.address();
    return typeof address === 'object' && address !== null ? address.port : 0;
  }

  /** Writes `request` and never more; resolves with what came back once the server closed, or after `giveUpMs`. */
  function stall(port: number, request: string, giveUpMs: number): Promise<{ answer: string; closed: boolean; afterMs: number }> {
    return new Promise((resolve) => {
      const started = Date.now();
      const socket = connect(port, '127.0.0.1', () => socket.write(request));
      let answer = '';
      socket.on('data', (chunk: Buffer) => (answer += chunk.toString('latin1')));
      const giveUp = setTimeout(() => {
        socket.destroy();
        resolve({ answer, closed: false, afterMs: Date.now() - started });
      }, giveUpMs);
      socket.on('close', () => {
        clearTimeout(giveUp);
        resolve({ answer, closed: true, afterMs: Date.now() - started });
      });
      socket.on('error', () => undefined);
    });
  }

  it('sets a whole-request timeout and a shorter headers timeout by default', () => {
    expect(HTTP_REQUEST_TIMEOUT_MS).toBe(30_000);
    expect(HTTP_HEADERS_TIMEOUT_MS).toBeLessThanOrEqual(HTTP_REQUEST_TIMEOUT_MS);
  });

  it('when a client sends headers and part of the body, then 408 and the connection closed within the timeout', async () => {
    const port = await listening();
    const head = `POST /echo HTTP/1.1\r\nhost: x\r\ncontent-type: application/json\r\ncontent-length: 100\r\n\r\n`;
    const stalled = await stall(port, `${head}{"name":`, TIMEOUT_MS * 8);
    expect(stalled.closed).toBe(true);
    expect(stalled.answer).toMatch(/^HTTP\/1\.1 408 /);
    // Node checks in-flight requests every tenth of the timeout.
    expect(stalled.afterMs).toBeGreaterThanOrEqual(TIMEOUT_MS - 50);
    expect(stalled.afterMs).toBeLessThan(TIMEOUT_MS * 3);
  });

  it('when a client sends part of the headers, then 408 and the connection closed within the timeout', async () => {
    const port = await listening();
    const stalled = await stall(port, 'POST /echo HTTP/1.1\r\nhost: x\r\ncontent-le', TIMEOUT_MS * 8);
    expect(stalled.closed).toBe(true);
    expect(stalled.answer).toMatch(/^HTTP\/1\.1 408 /);
    expect(stalled.afterMs).toBeLessThan(TIMEOUT_MS * 3);
  });

  it('when a request arrives whole, then it is answered, and a response streamed for longer than the timeout is not cut', async () => {
    const port = await listening();
    const echo = await fetch(`http://127.0.0.1:${port}/echo`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"name":"x"}' });
    expect(echo.status).toBe(200);
    expect(await echo.json()).toEqual({ name: 'x' });
    const started = Date.now();
    const stream = await fetch(`http://127.0.0.1:${port}/stream`);
    const text = await stream.text();
    expect(Date.now() - started).toBeGreaterThan(TIMEOUT_MS * 3);
    expect(text.match(/^data: \d+$/gm)).toHaveLength(8);
  });
});
