// One HTTP GET timed from the request to the last byte of the answer, the way wrk or autocannon time
// a request: over a kept-alive connection, with the body collected as bytes and not decoded.
//
// The history benchmark used fetch() and response.text() before, which adds the client's own work
// (undici's web streams, UTF-8 decoding of a 263 KB answer, their promises) on the two cores the
// service also uses: measured against this client in interleaved runs, 0.5–2 ms at p50 and 2–13 ms
// at p95 (docs/benchmarks.md, issue 4). `bench:live -- --history-client fetch` still measures that way.
import { Agent, request } from 'node:http';

export interface TimedAnswer {
  readonly status: number;
  readonly ms: number;
  readonly body: Buffer;
}

export function createTimedGet(): { get(url: string, headers: Record<string, string>): Promise<TimedAnswer>; close(): void } {
  const agent = new Agent({ keepAlive: true, maxSockets: 1 });
  return {
    get(url, headers) {
      return new Promise((resolve, reject) => {
        const started = performance.now();
        const req = request(url, { agent, headers }, (res) => {
          const chunks: Buffer[] = [];
          res.on('data', (chunk: Buffer) => chunks.push(chunk));
          res.on('end', () => resolve({ status: res.statusCode ?? 0, ms: performance.now() - started, body: Buffer.concat(chunks) }));
          res.on('error', reject);
        });
        req.on('error', reject);
        req.end();
      });
    },
    close: () => agent.destroy(),
  };
}
