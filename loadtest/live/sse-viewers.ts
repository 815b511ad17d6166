// Child process of the live benchmark: holds many SSE streams open against the read service and
// measures, for every `container` event, now − the publish time the publisher put in the first
// reading's value (high-resolution epoch ms; one machine, one clock). Talks to the parent by IPC:
//   parent → { kind: 'open', url, viewers: [{ householdId, token }], concurrency }
//   child  → { kind: 'opened', ok, failed, ms }           after every stream answered its headers
//   parent → { kind: 'report' }  child → { kind: 'report', latenciesMs, sentAtMs, events, resyncs, bytes }
//   parent → { kind: 'count' }   child → { kind: 'count', delivered }   (events since the streams opened)
//   parent → { kind: 'reset' }   child → { kind: 'reset' }   forgets the samples so far without sending them: serialising
//                                 a warm-up's tens of thousands of samples held this process's loop, and the events
//                                 then waiting in its sockets read as a 150 ms spike of publish→SSE latency
// (sentAtMs: each event's publish time, epoch ms, in the same order as latenciesMs)
import http from 'node:http';
import type { Viewer } from './viewer-process.js';

type FromParent = { kind: 'open'; url: string; viewers: Viewer[]; concurrency: number } | { kind: 'report' } | { kind: 'reset' } | { kind: 'count' } | { kind: 'exit' };

const agent = new http.Agent({ keepAlive: false, maxSockets: Infinity });
const latencies: number[] = [];
const sentAt: number[] = [];
let events = 0;
let delivered = 0;
let resyncs = 0;
let bytes = 0;
const wallNow = (): number => performance.timeOrigin + performance.now();

function watch(base: string, viewer: Viewer): Promise<boolean> {
  return new Promise((resolve) => {
    const req = http.get(`${base}/v1/households/${viewer.householdId}/live`, { agent, headers: { authorization: `Bearer ${viewer.token}`, accept: 'text/event-stream' } }, (res) => {
      if (res.statusCode !== 200) {
        res.resume();
        resolve(false);
        return;
      }
      resolve(true);
      res.setEncoding('utf8');
      let pending = '';
      res.on('data', (chunk: string) => {
        const now = wallNow();
        bytes += chunk.length;
        pending += chunk;
        let end: number;
        while ((end = pending.indexOf('\n\n')) >= 0) {
          const block = pending.slice(0, end);
          pending = pending.slice(end + 2);
          if (block.includes('event: resync')) resyncs += 1;
          const at = block.indexOf('"value":');
          if (!block.includes('event: container') || at < 0) continue;
          events += 1;
          delivered += 1;
          const publishedAt = Number.parseFloat(block.slice(at + 8));
          latencies.push(now - publishedAt);
          sentAt.push(publishedAt);
        }
      });
    });
    req.on('error', () => resolve(false));
  });
}

async function openAll(message: Extract<FromParent, { kind: 'open' }>): Promise<void> {
  const started = performance.now();
  let ok = 0;
  let failed = 0;
  let next = 0;
  await Promise.all(
    Array.from({ length: message.concurrency }, async () => {
      while (next < message.viewers.length) {
        const viewer = message.viewers[next++] as Viewer;
        if (await watch(message.url, viewer)) ok += 1;
        else failed += 1;
      }
    }),
  );
  process.send?.({ kind: 'opened', ok, failed, ms: performance.now() - started });
}

process.on('message', (message: FromParent) => {
  if (message.kind === 'open') void openAll(message);
  else if (message.kind === 'count') process.send?.({ kind: 'count', delivered });
  else if (message.kind === 'reset') {
    latencies.length = 0;
    sentAt.length = 0;
    events = 0;
    resyncs = 0;
    bytes = 0;
    process.send?.({ kind: 'reset' });
  } else if (message.kind === 'report') {
    process.send?.({ kind: 'report', latenciesMs: latencies.splice(0), sentAtMs: sentAt.splice(0), events, resyncs, bytes });
    events = 0;
    resyncs = 0;
    bytes = 0;
  } else process.exit(0);
});
