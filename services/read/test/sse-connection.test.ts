import { EventEmitter } from 'node:events';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { openSseConnection, type SseConnection, type SseSink, type StreamEndReason } from '../live/sse-connection.js';

/** A sink whose buffer state the test sets by hand. */
class FakeSink extends EventEmitter implements SseSink {
  readonly written: string[] = [];
  writableLength = 0;
  writableNeedDrain = false;
  writableEnded = false;
  endCalls = 0;

  write(text: string): void {
    this.written.push(text);
  }

  bufferedBytes(): number {
    return this.writableLength;
  }

  needsDrain(): boolean {
    return this.writableNeedDrain;
  }

  onDrain(listener: () => void): void {
    this.on('drain', listener);
  }

  end(): void {
    this.endCalls += 1;
    this.writableEnded = true;
  }

  ended(): boolean {
    return this.writableEnded;
  }
}

const MAX_BUFFER = 1_000;
const HEARTBEAT_MS = 15_000;
const event = (n: number): { id: string; data: string } => ({ id: `g1-${n}`, data: `{"seq":${n}}` });

let res: FakeSink;
let counts: { sent: number; dropped: number };
let ends: StreamEndReason[];
let connection: SseConnection;

beforeEach(() => {
  vi.useFakeTimers();
  res = new FakeSink();
  counts = { sent: 0, dropped: 0 };
  ends = [];
  connection = openSseConnection(res, {
    maxBufferBytes: MAX_BUFFER,
    heartbeatMs: HEARTBEAT_MS,
    counters: { sent: () => (counts.sent += 1), dropped: () => (counts.dropped += 1), ended: (reason) => ends.push(reason) },
  });
});

afterEach(() => {
  connection.close();
  vi.useRealTimers();
});

/** Puts the connection into dropping mode: the socket buffer is over the limit. */
function stall(): void {
  res.writableLength = MAX_BUFFER + 1;
  res.writableNeedDrain = true;
  connection.send(event(99));
  res.written.length = 0;
  counts = { sent: 0, dropped: 0 };
}

describe('sending events', () => {
  it('when an event is sent, then it is written in SSE format with its id and counted as sent', () => {
    connection.send(event(1));
    expect(res.written).toEqual(['id: g1-1\nevent: container\ndata: {"seq":1}\n\n']);
    expect(counts).toEqual({ sent: 1, dropped: 0 });
  });

  it('when a resync is sent, then it is a resync event with the reason as JSON', () => {
    connection.sendResync('generation-changed');
    expect(res.written).toEqual(['event: resync\ndata: {"reason":"generation-changed"}\n\n']);
  });

  it('when the buffer is at the limit but not over it, then events are still written', () => {
    res.writableLength = MAX_BUFFER;
    connection.send(event(1));
    expect(counts).toEqual({ sent: 1, dropped: 0 });
  });
});

describe('a slow client', () => {
  it('when the buffer is over the limit, then the event is dropped and counted, and nothing is written', () => {
    res.writableLength = MAX_BUFFER + 1;
    connection.send(event(1));
    expect(res.written).toEqual([]);
    expect(counts).toEqual({ sent: 0, dropped: 1 });
  });

  it('when dropping, then further events are dropped until the buffer drains', () => {
    stall();
    connection.send(event(1));
    connection.send(event(2));
    expect(res.written).toEqual([]);
    expect(counts.dropped).toBe(2);
  });

  it('when the socket emits drain, then a resync is written once and the next events go through', () => {
    stall();
    res.writableLength = 0;
    res.writableNeedDrain = false;
    res.emit('drain');
    connection.send(event(1));
    expect(res.written).toEqual(['event: resync\ndata: {"reason":"events-dropped"}\n\n', 'id: g1-1\nevent: container\ndata: {"seq":1}\n\n']);
  });

  it('when the buffer falls to half the limit without a drain event, then the next event first sends the resync', () => {
    stall();
    res.writableNeedDrain = false;
    res.writableLength = MAX_BUFFER / 2;
    connection.send(event(1));
    expect(res.written).toEqual(['event: resync\ndata: {"reason":"events-dropped"}\n\n', 'id: g1-1\nevent: container\ndata: {"seq":1}\n\n']);
    expect(counts).toEqual({ sent: 1, dropped: 0 });
  });

  it('when the buffer is between half the limit and the limit, then the connection keeps dropping', () => {
    stall();
    res.writableNeedDrain = false;
    res.writableLength = MAX_BUFFER / 2 + 1;
    connection.send(event(1));
    expect(res.written).toEqual([]);
    expect(counts.dropped).toBe(1);
  });

  it('when drain fires and nothing was dropped, then nothing is written', () => {
    res.emit('drain');
    expect(res.written).toEqual([]);
  });
});

describe('heartbeat', () => {
  it('when the stream is idle for a heartbeat interval, then a comment line is written', () => {
    vi.advanceTimersByTime(HEARTBEAT_MS);
    expect(res.written).toEqual([': heartbeat\n\n']);
    vi.advanceTimersByTime(HEARTBEAT_MS);
    expect(res.written).toHaveLength(2);
  });

  it('when the connection is dropping, then no heartbeat is written into the full buffer', () => {
    stall();
    vi.advanceTimersByTime(3 * HEARTBEAT_MS);
    expect(res.written).toEqual([]);
  });

  it('when the connection is closed, then the response is ended and heartbeats stop', () => {
    connection.close();
    vi.advanceTimersByTime(3 * HEARTBEAT_MS);
    expect(res.written).toEqual([]);
    expect(res.endCalls).toBe(1);
  });

  it('when the response has already ended, then close does not end it again', () => {
    res.writableEnded = true;
    connection.close();
    expect(res.endCalls).toBe(0);
  });
});

describe('the server ending a stream', () => {
  it('when the server ends a stream, then an end event without id says why, it is counted, and the response ends', () => {
    connection.end('token-expired');
    expect(res.written).toEqual(['event: end\ndata: {"reason":"token-expired"}\n\n']);
    expect(ends).toEqual(['token-expired']);
    expect(res.endCalls).toBe(1);
    vi.advanceTimersByTime(3 * HEARTBEAT_MS);
    expect(res.written).toHaveLength(1);
  });

  it('when the response has already ended, then ending writes and counts nothing', () => {
    connection.close();
    connection.end('membership-ended');
    expect(res.written).toEqual([]);
    expect(ends).toEqual([]);
    expect(res.endCalls).toBe(1);
  });
});
