// The write side of GuardedConnection: how PUBACKs leave for the client socket.
import { Duplex } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { GuardedConnection } from '../guarded-connection.js';

/** A socket stand-in that records each write and can refuse more (write → false) until drained. */
class RecordingSocket extends Duplex {
  readonly writes: Buffer[] = [];
  full = false;
  override _read(): void {}
  override write(chunk: Buffer): boolean {
    this.writes.push(Buffer.from(chunk));
    return !this.full;
  }
}

const guard = (socket: RecordingSocket): GuardedConnection =>
  new GuardedConnection(socket, { maxPacketBytes: 1024, maxBufferedBytes: 4096, onOversize: () => undefined });

describe('GuardedConnection writes', () => {
  it('when a packet is written in corked parts (as mqtt-packet does), then the socket gets them as one buffer', async () => {
    const socket = new RecordingSocket();
    const connection = guard(socket);
    connection.cork();
    connection.write(Buffer.from([0x40]));
    connection.write(Buffer.from([0x02]));
    connection.write(Buffer.from([0x00, 0x07]));
    connection.uncork();
    await new Promise((resolve) => setImmediate(resolve));
    expect(socket.writes).toEqual([Buffer.from([0x40, 0x02, 0x00, 0x07])]);
  });

  it('when the socket accepts a write, then the next one is handed over at once, not after the kernel write completes', () => {
    const socket = new RecordingSocket();
    const connection = guard(socket);
    connection.write(Buffer.from('a'));
    connection.write(Buffer.from('b'));
    connection.write(Buffer.from('c'));
    expect(socket.writes.map(String)).toEqual(['a', 'b', 'c']);
  });

  it("when the socket's buffer is full, then later writes wait for 'drain'", async () => {
    const socket = new RecordingSocket();
    const connection = guard(socket);
    socket.full = true;
    connection.write(Buffer.from('a'));
    connection.write(Buffer.from('b'));
    await new Promise((resolve) => setImmediate(resolve));
    expect(socket.writes.map(String)).toEqual(['a']);
    socket.full = false;
    socket.emit('drain');
    await new Promise((resolve) => setImmediate(resolve));
    expect(socket.writes.map(String)).toEqual(['a', 'b']);
  });

  it('when the socket lags, then writers are told to wait only past the outgoing limit (Aedes holds every publish on a subscriber that says wait)', () => {
    const socket = new RecordingSocket();
    const connection = new GuardedConnection(socket, { maxPacketBytes: 1024, maxBufferedBytes: 4096, maxOutgoingBytes: 64 * 1024, onOversize: () => undefined });
    socket.full = true;
    const packet = Buffer.alloc(600);
    // 20 KB queued: past Node's default 16 KB, well under our limit.
    const answers = Array.from({ length: 34 }, () => connection.write(packet));
    expect(answers.every(Boolean)).toBe(true);
    const more = Array.from({ length: 80 }, () => connection.write(packet));
    expect(more.at(-1)).toBe(false);
  });
});
