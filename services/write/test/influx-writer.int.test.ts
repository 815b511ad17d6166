// The writer against the real InfluxDB (204, 400, 404, gzip) and against a stub HTTP server for
// answers a healthy local InfluxDB does not give (413, 503, silence, auth headers).
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { gunzipSync } from 'node:zlib';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createTestInfluxDatabase, type TestInfluxDatabase } from '../../../test/support/influx-database.js';
import { createInfluxWriter } from '../influx-writer.js';

let db: TestInfluxDatabase;

beforeAll(async () => {
  db = await createTestInfluxDatabase('write_writer');
});

afterAll(async () => {
  await db.drop();
});

describe('InfluxWriter against InfluxDB', () => {
  it.each([true, false])('writes a batch (gzip %s) and InfluxDB answers 204', async (gzip) => {
    const writer = createInfluxWriter({ url: db.url, database: db.database, gzip, requestTimeoutMs: 5_000 });
    const measurement = gzip ? 'gz' : 'plain';
    expect(await writer.writeBatch(`${measurement},t=a value=1 1000\n${measurement},t=b value=2 2000`)).toEqual({ kind: 'ok' });
    const [series] = await db.query(`SELECT "value" FROM "${measurement}"`);
    expect(series?.values).toEqual([
      [1000, 1],
      [2000, 2],
    ]);
  });

  it('a refused point is "rejected" with the message of InfluxDB', async () => {
    const writer = createInfluxWriter({ url: db.url, database: db.database, gzip: true, requestTimeoutMs: 5_000 });
    const outcome = await writer.writeBatch('bad,t=a value= 1000');
    expect(outcome).toMatchObject({ kind: 'rejected', status: 400 });
    expect(outcome.kind === 'rejected' && outcome.message).toContain('unable to parse');
  });

  it('a missing database is "databaseMissing"; createDatabase creates it, idempotently', async () => {
    const database = `${db.database}_late`;
    const writer = createInfluxWriter({ url: db.url, database, gzip: false, requestTimeoutMs: 5_000 });
    expect(await writer.writeBatch('m value=1 1000')).toMatchObject({ kind: 'databaseMissing' });
    expect(await writer.createDatabase()).toEqual({ kind: 'ok' });
    expect(await writer.createDatabase()).toEqual({ kind: 'ok' });
    expect(await writer.writeBatch('m value=1 1000')).toEqual({ kind: 'ok' });
    await db.query(`DROP DATABASE "${database}"`);
  });

  it('an unreachable server is "retryable"', async () => {
    const writer = createInfluxWriter({ url: 'http://127.0.0.1:1', database: 'x', gzip: false, requestTimeoutMs: 2_000 });
    expect(await writer.writeBatch('m value=1')).toMatchObject({ kind: 'retryable' });
  });
});

describe('InfluxWriter against a stub server', () => {
  let server: Server | undefined;
  afterEach(async () => {
    server?.closeAllConnections();
    await new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve()));
    server = undefined;
  });

  async function stub(handler: (req: IncomingMessage, body: Buffer, res: ServerResponse) => void): Promise<string> {
    server = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (chunk: Buffer) => chunks.push(chunk));
      req.on('end', () => handler(req, Buffer.concat(chunks), res));
    });
    await new Promise<void>((resolve) => server?.listen(0, '127.0.0.1', resolve));
    const address = server.address();
    return `http://127.0.0.1:${typeof address === 'object' && address !== null ? address.port : 0}`;
  }

  it('sends db, precision=ms, rp, a gzip body, keep-alive and basic auth', async () => {
    let seen: { url?: string; headers?: IncomingMessage['headers']; body?: string } = {};
    const url = await stub((req, body, res) => {
      seen = { url: req.url, headers: req.headers, body: gunzipSync(body).toString('utf8') };
      res.writeHead(204).end();
    });
    const writer = createInfluxWriter({
      url: `${url}/`,
      database: 'energy monitor',
      retentionPolicy: 'raw',
      username: 'writer',
      password: 'secret',
      gzip: true,
      requestTimeoutMs: 5_000,
    });
    expect(await writer.writeBatch('m,device=ü value=1 1')).toEqual({ kind: 'ok' });
    expect(seen.url).toBe('/write?db=energy+monitor&precision=ms&rp=raw');
    expect(seen.headers?.['content-encoding']).toBe('gzip');
    expect(seen.headers?.connection).toBe('keep-alive');
    expect(seen.headers?.authorization).toBe(`Basic ${Buffer.from('writer:secret').toString('base64')}`);
    expect(seen.body).toBe('m,device=ü value=1 1');
  });

  it('sends a token for InfluxDB 2.x/3.x compatibility endpoints', async () => {
    let authorization: string | undefined;
    const url = await stub((req, _body, res) => {
      authorization = req.headers.authorization;
      res.writeHead(204).end();
    });
    const writer = createInfluxWriter({ url, database: 'db', token: 't0k3n', gzip: false, requestTimeoutMs: 5_000 });
    await writer.writeBatch('m value=1');
    expect(authorization).toBe('Token t0k3n');
  });

  it.each([
    [413, 'tooLarge'],
    [503, 'retryable'],
    [500, 'retryable'],
    [401, 'retryable'],
  ])('HTTP %i is "%s"', async (status, kind) => {
    const url = await stub((_req, _body, res) => res.writeHead(status, { 'content-type': 'text/plain' }).end('no'));
    const writer = createInfluxWriter({ url, database: 'db', gzip: false, requestTimeoutMs: 5_000 });
    expect(await writer.writeBatch('m value=1')).toMatchObject({ kind });
  });

  it('no answer within the timeout is "retryable"', async () => {
    const url = await stub(() => undefined);
    const writer = createInfluxWriter({ url, database: 'db', gzip: false, requestTimeoutMs: 200 });
    expect(await writer.writeBatch('m value=1')).toEqual({ kind: 'retryable', message: 'no answer within 200 ms' });
  });

  it('a stop abandons a request under way, and the writer still works after it', async () => {
    let answer = false;
    const url = await stub((_req, _body, res) => {
      if (answer) res.writeHead(204).end();
    });
    const writer = createInfluxWriter({ url, database: 'db', gzip: false, requestTimeoutMs: 5_000 });
    const stop = new AbortController();
    const pending = writer.writeBatch('m value=1', stop.signal);
    setTimeout(() => stop.abort(), 50);
    expect(await pending).toEqual({ kind: 'retryable', message: 'abandoned (stopping)' });
    answer = true;
    expect(await writer.writeBatch('m value=1')).toEqual({ kind: 'ok' });
  });

  it('a statement error from CREATE DATABASE is reported, not taken for success', async () => {
    const url = await stub((_req, _body, res) =>
      res.writeHead(200, { 'content-type': 'application/json' }).end('{"results":[{"statement_id":0,"error":"forbidden"}]}'),
    );
    const writer = createInfluxWriter({ url, database: 'db', gzip: false, requestTimeoutMs: 5_000 });
    expect(await writer.createDatabase()).toMatchObject({ kind: 'retryable', message: 'forbidden' });
  });
});
