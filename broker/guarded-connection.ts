// A Duplex between a client socket and Aedes that (1) closes the connection when a packet is over
// the size limit or breaks a rule only its raw bytes show (packet-conformance.ts) and (2) caps the
// bytes buffered per connection: when Aedes has not consumed `maxBufferedBytes`, the socket is
// paused and TCP flow control pushes back on the client.
import { Duplex } from 'node:stream';
import { PacketSizeScanner } from './packet-size-scanner.js';
import { closeForViolation } from './protocol-violation.js';

export interface GuardOptions {
  readonly maxPacketBytes: number;
  readonly maxBufferedBytes: number;
  /**
   * Outgoing bytes queued before write() says "wait". Aedes delivers a publish to every subscriber
   * and waits for each one's 'drain' before the publish is done — and it runs a bounded number of
   * publishes at once — so one subscriber lagging by Node's default 16 KB (a fan-out service
   * receiving thousands of messages a second, under CPU contention) stalled every publisher's
   * PUBACK. A buffer costs memory only while it is used. Optional: 1 MiB when not given.
   */
  readonly maxOutgoingBytes?: number;
  readonly onOversize: (reason: string) => void;
  /** The client's address (its TCP peer), for per-address limits: see `remoteAddress`. */
  readonly remoteAddress?: string;
}

export class GuardedConnection extends Duplex {
  private readonly scanner: PacketSizeScanner;

  constructor(
    private readonly socket: Duplex,
    private readonly options: GuardOptions,
  ) {
    super({ readableHighWaterMark: options.maxBufferedBytes, writableHighWaterMark: options.maxOutgoingBytes ?? 1024 * 1024, allowHalfOpen: false });
    this.scanner = new PacketSizeScanner(options.maxPacketBytes);
    socket.on('data', (chunk: Buffer) => this.onData(chunk));
    socket.on('end', () => this.push(null));
    socket.on('error', (err) => this.destroy(err));
    socket.on('close', () => this.destroy());
  }

  /** Named as net.Socket names it, so that client-address.ts reads a TCP socket and this alike. */
  get remoteAddress(): string | undefined {
    return this.options.remoteAddress;
  }

  private onData(chunk: Buffer): void {
    const verdict = this.scanner.scan(chunk);
    if (!verdict.ok) {
      // After a refusal the connection is closing: later bytes are dropped, never Aedes'.
      if (verdict.kind === 'after-refusal') return;
      if (verdict.kind === 'protocol') {
        closeForViolation(this.socket, this, verdict.reason, verdict.connackReturnCode);
        return;
      }
      this.options.onOversize(verdict.reason);
      this.socket.destroy();
      return;
    }
    if (!this.push(chunk)) this.socket.pause();
  }

  override _read(): void {
    this.socket.resume();
  }

  // Done as soon as the socket accepted the bytes, not when they reached the kernel: waiting for
  // socket.write's callback would let one packet out per event-loop turn, so PUBACKs queued on a
  // busy connection would leave one by one. The socket's own buffer is the bound: past its
  // high-water mark we wait for 'drain' (errors reach us through 'error'/'close').
  override _write(chunk: Buffer, encoding: BufferEncoding, callback: (error?: Error | null) => void): void {
    if (this.socket.write(chunk, encoding)) callback();
    else this.socket.once('drain', () => callback());
  }

  // mqtt-packet corks the stream for each packet (header, length, id are separate writes): hand
  // the socket one buffer, one syscall, instead of several.
  override _writev(chunks: Array<{ chunk: Buffer; encoding: BufferEncoding }>, callback: (error?: Error | null) => void): void {
    const joined = chunks.length === 1 ? (chunks[0] as { chunk: Buffer }).chunk : Buffer.concat(chunks.map((c) => c.chunk));
    if (this.socket.write(joined)) callback();
    else this.socket.once('drain', () => callback());
  }

  override _final(callback: (error?: Error | null) => void): void {
    this.socket.end(callback);
  }

  override _destroy(err: Error | null, callback: (error?: Error | null) => void): void {
    this.socket.destroy();
    callback(err);
  }
}
