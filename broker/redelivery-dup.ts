// DUP on the messages a resumed session gets again [MQTT-3.3.1-1]: "The DUP flag MUST be set to 1
// by the Client or Server when it attempts to re-deliver a PUBLISH Packet". When a client with
// CleanSession 0 reconnects, Aedes sends what its persistence still holds for it
// (lib/handlers/connect.js, emptyQueue: persistence.outgoingStream → write) with the flags as
// stored, so DUP 0, while keeping the original packet identifiers [MQTT-4.4.0-1].
//
// A stored packet has an identifier once Aedes has tried to send it (it assigns one and records it
// with outgoingUpdate before writing); one queued while the client was offline has none and goes
// out for the first time, rightly with DUP 0. Only outgoingStream's packets are marked: live
// deliveries never pass through it.
import { Readable } from 'node:stream';
import type { Aedes, Client } from 'aedes';

interface StoredPacket {
  readonly cmd?: string;
  readonly messageId?: number;
  readonly dup?: boolean;
}

interface OutgoingPersistence {
  outgoingStream(client: Client): Readable;
}

export function withRedeliveryDup(packet: StoredPacket): StoredPacket {
  return packet.cmd === 'publish' && packet.messageId !== undefined && packet.messageId !== 0 ? { ...packet, dup: true } : packet;
}

/** Makes `aedes` mark re-sent publishes DUP 1; called once, as the broker is built (broker/broker-aedes.ts). */
export function markRedeliveries(aedes: Aedes): void {
  const persistence = (aedes as unknown as { persistence: OutgoingPersistence }).persistence;
  const outgoingStream = persistence.outgoingStream.bind(persistence);
  persistence.outgoingStream = (client) => {
    const stored = outgoingStream(client);
    return Readable.from(
      (async function* marked() {
        for await (const packet of stored) yield withRedeliveryDup(packet as StoredPacket);
      })(),
    );
  };
}
