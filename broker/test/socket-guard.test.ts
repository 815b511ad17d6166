// The socket guard on a plain Duplex standing in for a net.Socket: what reaches the reader, and when
// writers are told to wait.
import { Duplex } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { createSocketGuard } from '../socket-guard.js';

/** Readable side fed by the test through push; writable side that never completes (a client not reading). */
class StalledSocket extends Duplex {
  constructor() {
    super({ highWaterMark: 16 * 1024 });
  }
  override _read(): void {}
  override _write(_chunk: Buffer, _encoding: BufferEncoding, _callback: () => void): void {}
}

function guarded(maxOutgoingBytes = 64 * 1024) {
  const reasons: string[] = [];
  const socket = new StalledSocket();
  createSocketGuard({ maxPacketBytes: 100, maxOutgoingBytes, onOversize: (reason) => reasons.push(reason) })(socket);
  return { socket, reasons };
}

describe('socket guard', () => {
  it('when packets are within the limit, then they reach the reader unchanged', () => {
    const { socket, reasons } = guarded();
    socket.push(Buffer.from([0xc0, 0x00, 0x30, 0x03, 0x00, 0x01]));
    socket.push(Buffer.from([0x78]));
    expect(Buffer.from(socket.read() as Buffer)).toEqual(Buffer.from([0xc0, 0x00, 0x30, 0x03, 0x00, 0x01, 0x78]));
    expect(reasons).toEqual([]);
    expect(socket.destroyed).toBe(false);
  });

  it('when a fixed header announces a packet over the limit, then the bytes are dropped and the socket destroyed', () => {
    const { socket, reasons } = guarded();
    // PUBLISH announcing 200 bytes (0xc8 0x01 = 200): refused on the header, before any body arrives.
    expect(socket.push(Buffer.from([0x30, 0xc8, 0x01]))).toBe(false);
    expect(reasons).toEqual(['packet of 200 bytes exceeds the 100-byte limit']);
    expect(socket.destroyed).toBe(true);
    expect(socket.readableLength).toBe(0);
  });

  it('when the socket lags, then writers are told to wait only past the outgoing limit, not at the socket mark', () => {
    const { socket } = guarded(64 * 1024);
    const packet = Buffer.alloc(600);
    // 20 KB queued: past the socket's 16 KB mark, well under our limit.
    const answers = Array.from({ length: 34 }, () => socket.write(packet));
    expect(answers.every(Boolean)).toBe(true);
    const more = Array.from({ length: 80 }, () => socket.write(packet));
    expect(more.at(-1)).toBe(false);
  });

  it('the end of the stream passes through', () => {
    const { socket } = guarded();
    let ended = false;
    socket.on('end', () => (ended = true));
    socket.push(null);
    socket.resume();
    return new Promise<void>((resolve) => setImmediate(() => {
      expect(ended).toBe(true);
      resolve();
    }));
  });
});
