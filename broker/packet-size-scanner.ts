// Walks MQTT fixed headers in a byte stream to find each packet's size before Aedes' parser
// buffers it. Aedes has no maximum packet size; without this a client could announce a 256 MB
// packet and make us buffer it. MQTT 3.1.1 has no way to refuse a packet, so the caller closes
// the connection ([MQTT-4.8.0-1]: on a protocol violation the server closes the connection).
//
// Fixed header [MQTT-2.2]: 1 byte type/flags, then "Remaining Length" as a variable byte integer
// of at most 4 bytes, 7 bits each, low groups first, high bit = continuation [MQTT-2.2.3].
//
// While it walks, it also gathers the bytes packet-conformance.ts checks (a CONNECT, SUBSCRIBE or
// UNSUBSCRIBE body; a PUBLISH's topic and packet identifier, never its payload): the raw bytes are
// the only place ill-formed UTF-8 still shows. A packet read whole in one chunk is checked in
// place; only one split across reads is copied.
import { checkPacket, isChecked, isPublish, publishHeaderBytes } from './packet-conformance.js';

export type ScanResult =
  | { readonly ok: true }
  /** Too large or a malformed length: the caller closes the connection. */
  | { readonly ok: false; readonly kind: 'size'; readonly reason: string }
  /** Breaks a rule of MQTT 3.1.1: the caller closes the connection, after this CONNACK when given. */
  | { readonly ok: false; readonly kind: 'protocol'; readonly reason: string; readonly connackReturnCode?: 1 | 2 }
  /** A chunk after a refusal: the caller is closing the connection and drops it. */
  | { readonly ok: false; readonly kind: 'after-refusal'; readonly reason: string };

type State = 'type' | 'length' | 'body' | 'refused';

export class PacketSizeScanner {
  private state: State = 'type';
  private remaining = 0;
  private multiplier = 1;
  private lengthBytes = 0;
  private firstByte = 0;
  private packets = 0;
  /** Bytes at the start of the current body that are checked; 0 once checked or when unchecked. */
  private checkLength = 0;
  private bodyLength = 0;
  private gathered: Buffer[] = [];
  private gatheredLength = 0;

  constructor(private readonly maxPacketBytes: number) {}

  /**
   * Feeds the next chunk; returns a refusal as soon as one packet is too big, malformed or breaks a
   * checked rule. `starts`, when given, receives the offset of every packet that begins in this chunk.
   */
  scan(chunk: Uint8Array, starts?: number[]): ScanResult {
    if (this.state === 'refused') return { ok: false, kind: 'after-refusal', reason: 'connection refused already' };
    let i = 0;
    while (i < chunk.length) {
      if (this.state === 'body') {
        const take = Math.min(this.remaining, chunk.length - i);
        const refusal = this.checkLength === 0 ? undefined : this.gather(chunk, i, i + take);
        if (refusal !== undefined) return this.refused(refusal);
        this.remaining -= take;
        i += take;
        if (this.remaining === 0) this.state = 'type';
        continue;
      }
      const byte = chunk[i++] ?? 0;
      if (this.state === 'type') {
        starts?.push(i - 1);
        this.state = 'length';
        this.firstByte = byte;
        this.packets++;
        this.remaining = 0;
        this.multiplier = 1;
        this.lengthBytes = 0;
        continue;
      }
      const refusal = this.lengthByte(byte);
      if (refusal !== undefined) return this.refused(refusal);
    }
    return { ok: true };
  }

  private refused(refusal: ScanResult): ScanResult {
    this.state = 'refused';
    this.gathered = [];
    return refusal;
  }

  private lengthByte(byte: number): ScanResult | undefined {
    this.remaining += (byte & 0x7f) * this.multiplier;
    this.multiplier *= 128;
    this.lengthBytes++;
    if (byte & 0x80) {
      return this.lengthBytes >= 4 ? { ok: false, kind: 'size', reason: 'malformed remaining length (more than 4 bytes)' } : undefined;
    }
    if (this.remaining > this.maxPacketBytes) {
      return { ok: false, kind: 'size', reason: `packet of ${this.remaining} bytes exceeds the ${this.maxPacketBytes}-byte limit` };
    }
    this.state = this.remaining === 0 ? 'type' : 'body';
    if (!isChecked(this.firstByte)) return undefined;
    this.bodyLength = this.remaining;
    // A PUBLISH's checked part is known from its topic length, its first 2 bytes.
    this.checkLength = isPublish(this.firstByte) ? Math.min(2, this.remaining) : this.remaining;
    this.gatheredLength = 0;
    return this.checkLength === 0 ? this.check(new Uint8Array(0)) : undefined;
  }

  /** Takes the checked bytes among chunk[from, to) and checks them once all are there. */
  private gather(chunk: Uint8Array, from: number, to: number): ScanResult | undefined {
    let at = from;
    for (;;) {
      let prefix: Uint8Array;
      if (this.gatheredLength === 0 && to - at >= this.checkLength) {
        prefix = chunk.subarray(at, at + this.checkLength);
      } else {
        const n = Math.min(this.checkLength - this.gatheredLength, to - at);
        this.gathered.push(Buffer.from(chunk.subarray(at, at + n)));
        this.gatheredLength += n;
        at += n;
        if (this.gatheredLength < this.checkLength) return undefined;
        prefix = this.gathered.length === 1 ? (this.gathered[0] as Buffer) : Buffer.concat(this.gathered);
        this.gathered = [prefix as Buffer];
      }
      if (isPublish(this.firstByte) && this.checkLength === 2) {
        const full = Math.min(publishHeaderBytes(this.firstByte, (prefix[0] as number) * 256 + (prefix[1] as number)), this.bodyLength);
        if (full > 2) {
          this.checkLength = full;
          continue;
        }
      }
      return this.check(prefix);
    }
  }

  private check(prefix: Uint8Array): ScanResult | undefined {
    this.checkLength = 0;
    this.gathered = [];
    const verdict = checkPacket(this.firstByte, prefix, this.packets === 1);
    if (verdict.ok) return undefined;
    return { ok: false, kind: 'protocol', reason: verdict.reason, ...(verdict.connackReturnCode === undefined ? {} : { connackReturnCode: verdict.connackReturnCode }) };
  }
}
