// responseSink on a real HTTP server and real sockets: the bytes a client receives are valid
// HTTP/1.1 chunked encoding (or a plain body for HTTP/1.0), in order, after the head.
import { createServer, get, type Server, type ServerResponse } from 'node:http';
import { connect, type AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { responseSink } from '../live/sse-connection.js';

let server: Server | undefined;
afterEach(async () => {
  await new Promise((resolve) => server?.close(resolve) ?? resolve(undefined));
  server = undefined;
});

/** A server whose one route streams `texts` through a sink (head written without a body first). */
async function serve(texts: readonly string[], afterHead?: (res: ServerResponse) => void): Promise<number> {
  server = createServer((_req, res) => {
    res.writeHead(200, { 'content-type': 'text/event-stream' });
    afterHead?.(res);
    const sink = responseSink(res);
    for (const text of texts) sink.write(text);
    expect(sink.bufferedBytes()).toBeGreaterThanOrEqual(0);
    sink.end();
    expect(sink.ended()).toBe(true);
  });
  await new Promise<void>((resolve) => server?.listen(0, '127.0.0.1', resolve));
  return (server?.address() as AddressInfo).port;
}

const TEXTS = ['retry: 2000\n\n', 'id: g-1\nevent: container\ndata: {"device":"Küche ☕"}\n\n', ': heartbeat\n\n'];

describe('SSE response sink', () => {
  it('when an HTTP/1.1 client reads the stream, then it gets every text in order, chunk-framed', async () => {
    const port = await serve(TEXTS);
    const { body, encoding } = await new Promise<{ body: string; encoding: string | undefined }>((resolve, reject) => {
      get({ port, host: '127.0.0.1', path: '/' }, (res) => {
        let text = '';
        res.setEncoding('utf8');
        res.on('data', (chunk: string) => (text += chunk));
        res.on('end', () => resolve({ body: text, encoding: res.headers['transfer-encoding'] }));
      }).on('error', reject);
    });
    expect(encoding).toBe('chunked');
    expect(body).toBe(TEXTS.join(''));
  });

  it('when the response already wrote through itself, then the sink writes after it', async () => {
    const port = await serve(TEXTS.slice(1), (res) => res.write(TEXTS[0]));
    const body = await new Promise<string>((resolve, reject) => {
      get({ port, host: '127.0.0.1', path: '/' }, (res) => {
        let text = '';
        res.setEncoding('utf8');
        res.on('data', (chunk: string) => (text += chunk));
        res.on('end', () => resolve(text));
      }).on('error', reject);
    });
    expect(body).toBe(TEXTS.join(''));
  });

  it('when an HTTP/1.0 client reads the stream, then the body is the texts unframed and ends with the connection', async () => {
    const port = await serve(TEXTS);
    const raw = await new Promise<string>((resolve, reject) => {
      const socket = connect(port, '127.0.0.1', () => socket.write('GET / HTTP/1.0\r\nHost: x\r\n\r\n'));
      let text = '';
      socket.setEncoding('utf8');
      socket.on('data', (chunk: string) => (text += chunk));
      socket.on('end', () => resolve(text));
      socket.on('error', reject);
    });
    const headEnd = raw.indexOf('\r\n\r\n');
    expect(raw.slice(0, headEnd)).not.toContain('chunked');
    expect(raw.slice(headEnd + 4)).toBe(TEXTS.join(''));
  });
});
