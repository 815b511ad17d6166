// A webhook receiver for tests: a local HTTP server on port 0 that records every POST and answers
// with a settable status.
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface ReceivedHook {
  readonly headers: IncomingHttpHeaders;
  /** When the request arrived (the receiver's clock: what a signature's timestamp is checked against). */
  readonly receivedAtMs: number;
  readonly body: string;
  readonly json: { eventId: string; type: string; state?: string; householdId: string; value?: number; deviceId?: string | null; rule?: { id: string | null; name: string; kind: string } };
}

export interface WebhookReceiver {
  readonly url: string;
  /** Answered with 2xx. */
  readonly received: ReceivedHook[];
  /** Every request, whatever the answer. */
  readonly attempts: ReceivedHook[];
  setStatus(status: number): void;
  /** Waits this long before answering. */
  setDelay(ms: number): void;
  close(): Promise<void>;
}

export async function startWebhookReceiver(): Promise<WebhookReceiver> {
  const received: ReceivedHook[] = [];
  const attempts: ReceivedHook[] = [];
  let status = 200;
  let delayMs = 0;
  const server: Server = createServer((req, res) => {
    const receivedAtMs = Date.now();
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const body = Buffer.concat(chunks).toString('utf8');
      const hook = { headers: req.headers, receivedAtMs, body, json: JSON.parse(body) as ReceivedHook['json'] };
      attempts.push(hook);
      const answer = status;
      setTimeout(() => {
        if (answer >= 200 && answer < 300) received.push(hook);
        res.statusCode = answer;
        res.end();
      }, delayMs);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/hook`,
    received,
    attempts,
    setDelay: (ms) => {
      delayMs = ms;
    },
    setStatus: (s) => {
      status = s;
    },
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
