// Walks MQTT fixed headers in a byte stream to find each packet's size before Aedes' parser
// buffers it. Aedes has no maximum packet size; without this a client could announce a 256 MB
// packet and make us buffer it. MQTT 3.1.1 has no way to refuse a packet, so the caller closes
// the connection ([MQTT-4.8.0-1]: on a protocol violation the server closes the connection).
//
// Fixed header [MQTT-2.2]: 1 byte type/flags, then "Remaining Length" as a variable byte integer
// of at most 4 bytes, 7 bits each, low groups first, high bit = continuation [MQTT-2.2.3].

export type ScanResult = { readonly ok: true } | { readonly ok: false; readonly reason: string };

type State = 'type' | 'length' | 'body';

export class PacketSizeScanner {
  private state: State = 'type';
  private remaining = 0;
  private multiplier = 1;
  private lengthBytes = 0;

  constructor(private readonly maxPacketBytes: number) {}

  /**
   * Feeds the next chunk; returns a refusal as soon as one packet is too big or malformed. `starts`,
   * when given, receives the offset of every packet that begins in this chunk.
   */
  scan(chunk: Uint8Array, starts?: number[]): ScanResult {
    let i = 0;
    while (i < chunk.length) {
      if (this.state === 'body') {
        const take = Math.min(this.remaining, chunk.length - i);
        this.remaining -= take;
        i += take;
        if (this.remaining === 0) this.state = 'type';
        continue;
      }
      const byte = chunk[i++] ?? 0;
      if (this.state === 'type') {
        starts?.push(i - 1);
        this.state = 'length';
        this.remaining = 0;
        this.multiplier = 1;
        this.lengthBytes = 0;
        continue;
      }
      const refusal = this.lengthByte(byte);
      if (refusal !== undefined) return refusal;
    }
    return { ok: true };
  }

  private lengthByte(byte: number): ScanResult | undefined {
    this.remaining += (byte & 0x7f) * this.multiplier;
    this.multiplier *= 128;
    this.lengthBytes++;
    if (byte & 0x80) {
      return this.lengthBytes >= 4 ? { ok: false, reason: 'malformed remaining length (more than 4 bytes)' } : undefined;
    }
    if (this.remaining > this.maxPacketBytes) {
      return { ok: false, reason: `packet of ${this.remaining} bytes exceeds the ${this.maxPacketBytes}-byte limit` };
    }
    this.state = this.remaining === 0 ? 'type' : 'body';
    return undefined;
  }
}
