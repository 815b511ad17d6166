// One browser's event stream. Writes go straight to the socket; when the socket's buffer holds
// more than `maxBufferBytes` (a slow or stalled client) further events are dropped for this
// connection only — nobody else waits — and once the buffer drains a `resync` event tells the client
// to refetch history. Heartbeat comments keep proxies from closing an idle stream.
import type { ServerResponse } from 'node:http';
import type { LiveEvent } from './event-ring.js';

export interface SseCounters {
  sent(): void;
  dropped(): void;
}

export interface SseConnection {
  send(event: LiveEvent): void;
  sendResync(reason: string): void;
  close(): void;
}

export function openSseConnection(
  res: ServerResponse,
  options: { readonly maxBufferBytes: number; readonly heartbeatMs: number; readonly counters: SseCounters },
): SseConnection {
  let dropping = false;
  const write = (text: string): void => {
    res.write(text);
  };
  const sendResync = (reason: string): void => write(`event: resync\ndata: ${JSON.stringify({ reason })}\n\n`);
  const resume = (): void => {
    if (!dropping) return;
    dropping = false;
    sendResync('events-dropped');
  };
  // 'drain' fires only after a write returned false; a buffer over our limit but under the socket's
  // high-water mark is noticed at the next event instead.
  res.on('drain', resume);
  const drained = (): boolean => !res.writableNeedDrain && res.writableLength <= options.maxBufferBytes / 2;
  const heartbeat = setInterval(() => {
    if (!dropping) write(': heartbeat\n\n');
  }, options.heartbeatMs);
  heartbeat.unref();
  return {
    send(event) {
      if (dropping && drained()) resume();
      if (dropping || res.writableLength > options.maxBufferBytes) {
        dropping = true;
        options.counters.dropped();
        return;
      }
      write(`id: ${event.id}\nevent: container\ndata: ${event.data}\n\n`);
      options.counters.sent();
    },
    sendResync,
    close() {
      clearInterval(heartbeat);
      if (!res.writableEnded) res.end();
    },
  };
}
