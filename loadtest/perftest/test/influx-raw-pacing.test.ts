// influx-raw honours --rate at low rates: batches are cut to a tenth of a second of the rate and
// the writers take successive slots of the schedule (against a stand-in /write that answers 204).
import { createServer, type Server } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { pacedBatchLines, runInfluxRawLoad } from '../influx-raw-load.js';

describe('influx-raw pacing', () => {
  const requests: { atMs: number; lines: number }[] = [];
  let server: Server;
  let url = '';
  beforeAll(async () => {
    server = createServer((request, response) => {
      let body = '';
      request.on('data', (chunk: Buffer) => (body += chunk.toString()));
      request.on('end', () => {
        if (request.url?.startsWith('/write') === true) {
          requests.push({ atMs: performance.now(), lines: body.split('\n').length });
          response.writeHead(204).end();
        } else response.writeHead(200, { 'content-type': 'application/json' }).end('{"results":[{"statement_id":0}]}');
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    url = `http://127.0.0.1:${(server.address() as { port: number }).port}`;
  });
  afterAll(async () => {
    await new Promise((resolve) => server.close(resolve));
  });

  it('cuts batches to a tenth of a second of the rate, in whole containers, and leaves them whole when unlimited', () => {
    expect(pacedBatchLines({ rate: 100, batchLines: 5000, readings: 11 })).toBe(11);
    expect(pacedBatchLines({ rate: 10_000, batchLines: 5000, readings: 11 })).toBe(1001);
    expect(pacedBatchLines({ rate: 1_000_000, batchLines: 5000, readings: 11 })).toBe(5005);
    expect(pacedBatchLines({ rate: 0, batchLines: 5000, readings: 11 })).toBe(5005);
  });

  it('when 4 writers load 100 points/s for 1.5 s, then about 150 points go in small requests spread over the run', async () => {
    const events = { signal: new AbortController().signal, onSent: () => undefined, onAck: () => undefined };
    const started = performance.now();
    const result = await runInfluxRawLoad(
      { url, database: 'pacing', durationMs: 1_500, batchLines: 5000, requestsInFlight: 4, households: 3, readings: 11, rate: 100 },
      events,
    );
    expect(result.sent).toBeGreaterThanOrEqual(110);
    expect(result.sent).toBeLessThanOrEqual(165);
    expect(Math.max(...requests.map((r) => r.lines))).toBe(11);
    expect(requests.filter((r) => r.atMs - started < 200).length).toBeLessThanOrEqual(2);
    expect(result.latenciesMs.length).toBeGreaterThanOrEqual(10);
  });
});
