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

/** A stand-in /query endpoint that records the request headers and bodies and answers `answer`. */
async function recordingServer(answer = '{"results":[{"statement_id":0}]}'): Promise<{ url: string; seen: IncomingHttpHeaders[]; bodies: string[] }> {
  const seen: IncomingHttpHeaders[] = [];
  const bodies: string[] = [];
  server = createServer((req, res) => {
    seen.push(req.headers);
    let body = '';
    req.setEncoding('utf8').on('data', (chunk: string) => (body += chunk));
    req.on('end', () => {
      bodies.push(body);
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(answer);
    });
  });
  await new Promise<void>((resolve) => server?.listen(0, '127.0.0.1', resolve));
  return { url: `http://127.0.0.1:${(server?.address() as AddressInfo).port}`, seen, bodies };
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

  it('when several statements are asked at once, then they go in one request and each gets its own series', async () => {
    const answer = JSON.stringify({ results: [{ statement_id: 0, series: [{ name: 'a', columns: ['time'], values: [[1]] }] }, { statement_id: 1 }] });
    const { url, bodies } = await recordingServer(answer);
    const results = await createInfluxClient({ url, database: 'db', timeoutMs: 2_000 }).queryEach(['SELECT 1', "SELECT 'x;y'"]);
    expect(bodies).toHaveLength(1);
    expect(new URLSearchParams(bodies[0]).get('q')).toBe("SELECT 1;\nSELECT 'x;y'");
    expect(results.map((series) => series.length)).toEqual([1, 0]);
  });

  it('when InfluxDB answers fewer results than statements, then the call fails instead of misplacing rows', async () => {
    const { url } = await recordingServer('{"results":[{"statement_id":0}]}');
    await expect(createInfluxClient({ url, database: 'db', timeoutMs: 2_000 }).queryEach(['SELECT 1', 'SELECT 2'])).rejects.toThrow(/1 results to 2 statements/);
  });
});
