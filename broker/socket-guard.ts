// The packet-size and per-connection byte caps of GuardedConnection, put on the client socket itself
// instead of a wrapper stream. Used for MQTT over TCP, where the idle agents are: a wrapper Duplex
// (its own readable and writable state, listeners and closures) cost each connection about 2 KB of
// heap, and an idle fleet of 19,000 agents is mostly that per-connection cost (docs/benchmarks.md,
// connection storm). Per connection this adds one PacketSizeScanner; the functions are shared.
//
// - Packet size: every chunk the socket reads passes through `push` before it is buffered, so the
//   scanner sees each fixed header before Aedes' parser does, as in GuardedConnection.
// - Conformance: the scanner also checks what only raw bytes show (packet-conformance.ts); a
//   violation closes the connection (protocol-violation.ts) and nothing of that chunk reaches Aedes.
// - Incoming bytes: the socket's readable high-water mark (the TCP server's `highWaterMark`) is the
//   cap; past it Node stops reading and TCP flow control pushes back on the client.
// - Outgoing bytes: `write` says "wait" only when `maxOutgoingBytes` are queued, not at the socket's
//   own high-water mark (see GuardOptions.maxOutgoingBytes for why Aedes needs the larger buffer).
//   Writes go straight to the socket, corked parts leave as one writev.
// - Readings fast path (decision 011): with one, the scanner also notes where each packet starts,
//   the fast path takes the readings publishes out of the chunk, and only the rest is pushed to
//   Aedes. While it holds a connection (too many publishes waiting) the socket's _read does not
//   start reading again, whoever asks.
import { Socket } from 'node:net';
import { Duplex } from 'node:stream';
import { PacketSizeScanner } from './packet-size-scanner.js';
import { closeForViolation } from './protocol-violation.js';
import type { ReadingsFastPath } from './readings-fast-path.js';

export interface SocketGuardOptions {
  readonly maxPacketBytes: number;
  readonly maxOutgoingBytes: number;
  readonly onOversize: (reason: string) => void;
  /** Takes readings publishes before Aedes parses them (readings-fast-path.ts); absent = all go to Aedes. */
  readonly fastPath?: ReadingsFastPath;
}

const SCANNER = Symbol('packet-size-scanner');
type GuardedStream = Duplex & { [SCANNER]?: PacketSizeScanner };

// The stream methods the guard wraps; always called with the socket as `this` (call/apply below).
// eslint-disable-next-line @typescript-eslint/unbound-method
const basePush = Duplex.prototype.push;
// eslint-disable-next-line @typescript-eslint/unbound-method
const baseWrite = Duplex.prototype.write as (this: Duplex, ...args: unknown[]) => boolean;

/** Returns the function that guards one socket; call it once per listener, then on each connection. */
export function createSocketGuard(options: SocketGuardOptions): (socket: Duplex) => void {
  const { fastPath } = options;
  /** Where the packets of the chunk being pushed start; one array for every socket, reused. */
  const packetStarts: number[] = [];
  function push(this: GuardedStream, chunk: unknown, encoding?: BufferEncoding): boolean {
    const scanner = this[SCANNER];
    if (chunk !== null && chunk !== undefined && scanner !== undefined) {
      packetStarts.length = 0;
      const verdict = scanner.scan(chunk as Uint8Array, fastPath === undefined ? undefined : packetStarts);
      if (!verdict.ok) {
        // After a refusal the connection is closing: later bytes are read and dropped, never Aedes'.
        if (verdict.kind === 'after-refusal') return true;
        if (verdict.kind === 'protocol') {
          closeForViolation(this, this, verdict.reason, verdict.connackReturnCode);
          return true;
        }
        this[SCANNER] = undefined;
        options.onOversize(verdict.reason);
        this.destroy();
        return false;
      }
      if (fastPath !== undefined && Buffer.isBuffer(chunk)) {
        const left = fastPath.split(this, chunk, packetStarts);
        let more = true;
        if (left === undefined) more = basePush.call(this, chunk, encoding);
        else for (const part of left) more = basePush.call(this, part);
        return more && fastPath.mayRead(this);
      }
    }
    return basePush.call(this, chunk, encoding);
  }
  // While the fast path holds the connection (too many publishes waiting for the journal), a read
  // Aedes asks for must not start the socket again: the fast path restarts it when they are done.
  // The guard is put on TCP sockets only: their own _read is net.Socket's.
  function read(this: Socket, size: number): void {
    if (fastPath !== undefined && !fastPath.mayRead(this)) return;
    Socket.prototype._read.call(this, size);
  }
  function write(this: Duplex, ...args: unknown[]): boolean {
    const belowSocketMark = baseWrite.apply(this, args);
    // When the socket's own mark is passed it still emits 'drain' once empty, so a later "wait" is answered.
    return belowSocketMark || this.writableLength < options.maxOutgoingBytes;
  }
  return (socket) => {
    const guarded = socket as GuardedStream;
    guarded[SCANNER] = new PacketSizeScanner(options.maxPacketBytes);
    guarded.push = push;
    guarded.write = write as Duplex['write'];
    if (fastPath !== undefined && socket instanceof Socket) socket._read = read;
  };
}
