// Closing a connection whose bytes break MQTT 3.1.1 (packet-conformance.ts found it before Aedes
// parsed them). MQTT 3.1.1 has no server-sent DISCONNECT: the server closes the network connection
// [MQTT-4.8.0-1]. For the CONNECT refusals the spec names, a CONNACK with the return code goes
// first [MQTT-3.1.2-2] (0x01) [MQTT-3.1.3-8] (0x02), then the connection closes [MQTT-3.2.2-5].
import type { Duplex } from 'node:stream';

export class ProtocolViolation extends Error {
  override readonly name = 'ProtocolViolation';
}

const CONNACK = 0x20;

/**
 * Closes the connection: `socket` is the client's byte stream, `aedesSide` the stream Aedes reads
 * (the same object on TCP). Aedes' stream is destroyed with the error, so Aedes closes its client
 * and reports it as a client or connection error, as for a packet its own parser refuses.
 */
export function closeForViolation(socket: Duplex, aedesSide: Duplex, reason: string, connackReturnCode?: 1 | 2): void {
  const err = new ProtocolViolation(`protocol violation: ${reason}`);
  if (connackReturnCode === undefined || socket.destroyed) {
    aedesSide.destroy(err);
    return;
  }
  // Session present 0 with any non-zero return code [MQTT-3.2.2-4].
  socket.write(Buffer.from([CONNACK, 2, 0, connackReturnCode]), () => aedesSide.destroy(err));
}
