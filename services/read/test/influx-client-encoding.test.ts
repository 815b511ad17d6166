// What the read service's InfluxDB client asks for on the wire: no compressed answers unless told
// (InfluxDB 1.6 gzips a query result whenever the request allows it, and Node's fetch allows it
// unless the header says otherwise).
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { createInfluxClient } from '../influx/influx-client.js';

let server: Server | undefined;
afterEach(async () => {
  await new Promise((resolve) => server?.close(resolve) ?? resolve(undefined));
});

/** A stand-in /query endpoint that records the request headers and answers an empty result. */
async function recordingServer(): Promise<{ url: string; seen: IncomingHttpHeaders[] }> {
  const seen: IncomingHttpHeaders[] = [];
  server = createServer((req, res) => {
    seen.push(req.headers);
    req.resume();
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end('{"results":[{"statement_id":0}]}');
  });
  await new Promise<void>((resolve) => server?.listen(0, '127.0.0.1', resolve));
  return { url: `http://127.0.0.1:${(server?.address() as AddressInfo).port}`, seen };
}

describe('InfluxDB client request encoding', () => {
  it('when compression is not asked for, then the query says accept-encoding identity', async () => {
    const { url, seen } = await recordingServer();
    await createInfluxClient({ url, database: 'db', timeoutMs: 2_000 }).query('SHOW DATABASES');
    expect(seen[0]?.['accept-encoding']).toBe('identity');
    expect(seen[0]?.accept).toContain('application/x-msgpack');
  });

  it('when compression is asked for, then fetch offers gzip as it does by default', async () => {
    const { url, seen } = await recordingServer();
    await createInfluxClient({ url, database: 'db', timeoutMs: 2_000, compressResponses: true }).query('SHOW DATABASES');
    expect(seen[0]?.['accept-encoding']).toContain('gzip');
  });
});
