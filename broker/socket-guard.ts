// The packet-size and per-connection byte caps of GuardedConnection, put on the client socket itself
// instead of a wrapper stream. Used for MQTT over TCP, where the idle agents are: a wrapper Duplex
// (its own readable and writable state, listeners and closures) cost each connection about 2 KB of
// heap, and an idle fleet of 19,000 agents is mostly that per-connection cost (docs/benchmarks.md,
// connection storm). Per connection this adds one PacketSizeScanner; the functions are shared.
//
// - Packet size: every chunk the socket reads passes through `push` before it is buffered, so the
//   scanner sees each fixed header before Aedes' parser does, as in GuardedConnection.
// - Incoming bytes: the socket's readable high-water mark (the TCP server's `highWaterMark`) is the
//   cap; past it Node stops reading and TCP flow control pushes back on the client.
// - Outgoing bytes: `write` says "wait" only when `maxOutgoingBytes` are queued, not at the socket's
//   own high-water mark (see GuardOptions.maxOutgoingBytes for why Aedes needs the larger buffer).
//   Writes go straight to the socket, corked parts leave as one writev.
import { Duplex } from 'node:stream';
import { PacketSizeScanner } from './packet-size-scanner.js';

export interface SocketGuardOptions {
  readonly maxPacketBytes: number;
  readonly maxOutgoingBytes: number;
  readonly onOversize: (reason: string) => void;
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
  function push(this: GuardedStream, chunk: unknown, encoding?: BufferEncoding): boolean {
    const scanner = this[SCANNER];
    if (chunk !== null && chunk !== undefined && scanner !== undefined) {
      const verdict = scanner.scan(chunk as Uint8Array);
      if (!verdict.ok) {
        this[SCANNER] = undefined;
        options.onOversize(verdict.reason);
        this.destroy();
        return false;
      }
    }
    return basePush.call(this, chunk, encoding);
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
  };
}
