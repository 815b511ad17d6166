// One browser's event stream. Writes go straight to the socket; when the socket's buffer holds
// more than `maxBufferBytes` (a slow or stalled client) further events are dropped for this
// connection only — nobody else waits — and once the buffer drains a `resync` event tells the client
// to refetch history. Heartbeat comments keep proxies from closing an idle stream. When the server
// ends a stream (its token expired, its viewer left the household) an `end` event says why first.
import type { ServerResponse } from 'node:http';
import type { LiveEvent } from './event-ring.js';

/** Why the server ended a stream (token-expiry.ts, membership-recheck.ts). */
export type StreamEndReason = 'token-expired' | 'membership-ended';

export const STREAM_END_REASONS: readonly StreamEndReason[] = ['token-expired', 'membership-ended'];

export interface SseCounters {
  sent(): void;
  dropped(): void;
  ended(reason: StreamEndReason): void;
}

export interface SseConnection {
  send(event: LiveEvent): void;
  sendResync(reason: string): void;
  /** Tells the viewer why with an `end` event (no id: Last-Event-ID stays), counts it, and closes. */
  end(reason: StreamEndReason): void;
  close(): void;
}

/** Where a stream's text goes once the response headers are out. */
export interface SseSink {
  write(text: string): void;
  /** Bytes written and not yet taken by the kernel. */
  bufferedBytes(): number;
  /** A write has filled the buffer past its high-water mark; 'drain' will follow. */
  needsDrain(): boolean;
  onDrain(listener: () => void): void;
  end(): void;
  ended(): boolean;
}

/**
 * The response's socket as a sink. With HTTP/1.1 chunked encoding (RFC 9112 §7.1: size in hex,
 * CRLF, data, CRLF) the frame is built here and written in one socket write: through
 * ServerResponse each event cost four buffered writes, a cork, a next-tick uncork and a writev,
 * about 13 % of the read service's CPU at 5,000 events/s (docs/benchmarks.md). `end` still goes
 * through the response, which writes the last chunk.
 */
export function responseSink(res: ServerResponse): SseSink {
  const socket = res.socket;
  if (socket === null) {
    return {
      write: (text) => void res.write(text),
      bufferedBytes: () => res.writableLength,
      needsDrain: () => res.writableNeedDrain,
      onDrain: (listener) => void res.on('drain', listener),
      end: () => res.end(),
      ended: () => res.writableEnded,
    };
  }
  // Whatever the response still holds (the head, at least) goes out first, so our bytes follow it.
  res.flushHeaders();
  const chunked = res.chunkedEncoding;
  return {
    write(text) {
      if (res.writableEnded || socket.destroyed) return;
      socket.write(chunked ? `${Buffer.byteLength(text, 'utf8').toString(16)}\r\n${text}\r\n` : text);
    },
    bufferedBytes: () => socket.writableLength,
    needsDrain: () => socket.writableNeedDrain,
    onDrain(listener) {
      socket.on('drain', listener);
      // A kept-alive socket outlives this response.
      res.once('close', () => socket.off('drain', listener));
    },
    end: () => res.end(),
    ended: () => res.writableEnded,
  };
}

export function openSseConnection(
  sink: SseSink,
  options: { readonly maxBufferBytes: number; readonly heartbeatMs: number; readonly counters: SseCounters },
): SseConnection {
  let dropping = false;
  const sendResync = (reason: string): void => sink.write(`event: resync\ndata: ${JSON.stringify({ reason })}\n\n`);
  const resume = (): void => {
    if (!dropping) return;
    dropping = false;
    sendResync('events-dropped');
  };
  // 'drain' fires only after a write returned false; a buffer over our limit but under the socket's
  // high-water mark is noticed at the next event instead.
  sink.onDrain(resume);
  const drained = (): boolean => !sink.needsDrain() && sink.bufferedBytes() <= options.maxBufferBytes / 2;
  const heartbeat = setInterval(() => {
    if (!dropping) sink.write(': heartbeat\n\n');
  }, options.heartbeatMs);
  heartbeat.unref();
  const close = (): void => {
    clearInterval(heartbeat);
    if (!sink.ended()) sink.end();
  };
  return {
    send(event) {
      if (dropping && drained()) resume();
      if (dropping || sink.bufferedBytes() > options.maxBufferBytes) {
        dropping = true;
        options.counters.dropped();
        return;
      }
      sink.write(`id: ${event.id}\nevent: container\ndata: ${event.data}\n\n`);
      options.counters.sent();
    },
    sendResync,
    end(reason) {
      if (sink.ended()) return;
      sink.write(`event: end\ndata: ${JSON.stringify({ reason })}\n\n`);
      options.counters.ended(reason);
      close();
    },
    close,
  };
}
