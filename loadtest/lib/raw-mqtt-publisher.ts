// A QoS1 publisher on a bare socket: the load generator's side of MQTT 3.1.1 and nothing more
// (CONNECT, PUBLISH, reading PUBACK). The generator shares two cores with the system it measures;
// with MQTT.js bench:live's publisher took 41 % of a core at 5,000 msgs/s (29 % on bare sockets),
// CPU the broker and the read service then did not get. Devices are remote in production.
import { connect, type Socket } from 'node:net';
import { corkForTurn } from '../../lib/stream/cork-for-turn.js';
import { connectPacket, readConnack, remainingLength } from '../perftest/storm-packets.js';

/** PUBLISH, QoS 1, no DUP, no RETAIN: fixed-header byte 0x32 [MQTT-3.3.1]. */
const PUBLISH_QOS1 = 0x32;
const PUBACK = 4;
const PINGRESP = 13;

export interface RawPublisher {
  /** Sends a QoS1 PUBLISH; `onAck` runs when its PUBACK arrives. */
  publish(topic: string, payload: Uint8Array, onAck: () => void): void;
  /** Publishes still waiting for their PUBACK. */
  inFlight(): number;
  /** Runs once when the connection closes, for whatever reason; the returned function unregisters it. */
  onClose(listener: () => void): () => void;
  close(): Promise<void>;
}

/** The bytes of a QoS1 PUBLISH [MQTT-3.3]: topic (length-prefixed UTF-8), packet id, payload. */
export function publishPacket(topic: string, packetId: number, payload: Uint8Array): Buffer {
  const topicLength = Buffer.byteLength(topic, 'utf8');
  const remaining = 2 + topicLength + 2 + payload.byteLength;
  const header = remainingLength(remaining);
  const packet = Buffer.allocUnsafe(1 + header.length + remaining);
  let at = packet.writeUInt8(PUBLISH_QOS1, 0);
  for (const byte of header) at = packet.writeUInt8(byte, at);
  at = packet.writeUInt16BE(topicLength, at);
  at += packet.write(topic, at, 'utf8');
  at = packet.writeUInt16BE(packetId, at);
  packet.set(payload, at);
  return packet;
}

/**
 * Splits what the broker sends into packets and reports each PUBACK's packet id. Only PUBACK and
 * PINGRESP are expected by a publisher with no subscriptions; anything else is an error.
 */
export function createAckReader(onPuback: (packetId: number) => void): (chunk: Buffer) => void {
  let pending: Buffer = Buffer.alloc(0);
  return (chunk) => {
    pending = pending.length === 0 ? chunk : Buffer.concat([pending, chunk]);
    let at = 0;
    for (;;) {
      // Fixed header: type byte, then 1–4 bytes of remaining length [MQTT-2.2.3].
      let length = 0;
      let multiplier = 1;
      let lengthBytes = 0;
      let complete = false;
      while (at + 1 + lengthBytes < pending.length && lengthBytes < 4) {
        const byte = pending[at + 1 + lengthBytes] as number;
        lengthBytes++;
        length += (byte & 0x7f) * multiplier;
        multiplier *= 128;
        if ((byte & 0x80) === 0) {
          complete = true;
          break;
        }
      }
      if (!complete || at + 1 + lengthBytes + length > pending.length) break;
      const type = (pending[at] as number) >> 4;
      const body = at + 1 + lengthBytes;
      if (type === PUBACK && length === 2) onPuback(pending.readUInt16BE(body));
      else if (type !== PINGRESP) throw new Error(`unexpected MQTT packet type ${type} from the broker`);
      at = body + length;
    }
    pending = pending.subarray(at);
  };
}

export async function connectRawPublisher(brokerUrl: string, clientId: string): Promise<RawPublisher> {
  const url = new URL(brokerUrl);
  const socket: Socket = connect({ host: url.hostname, port: Number(url.port), noDelay: true });
  await new Promise<void>((resolve, reject) => {
    socket.once('error', reject);
    socket.once('connect', () => {
      // Keep-alive 0: no PINGREQ needed, the broker never times the bench connection out [MQTT-3.1.2-23].
      socket.write(connectPacket(clientId, 0));
      socket.once('data', (bytes: Buffer) => {
        const verdict = readConnack(bytes);
        socket.off('error', reject);
        if (verdict.ok) resolve();
        else reject(new Error(verdict.reason));
      });
    });
  });
  const waiting = new Map<number, () => void>();
  let nextId = 0;
  const read = createAckReader((packetId) => {
    const onAck = waiting.get(packetId);
    waiting.delete(packetId);
    onAck?.();
  });
  socket.on('data', (chunk: Buffer) => {
    try {
      read(chunk);
    } catch (err) {
      socket.destroy(err instanceof Error ? err : new Error(String(err)));
    }
  });
  socket.on('error', () => undefined); // the run counts what was acknowledged
  // Publishes made in one event-loop turn (a closed loop refilling its window after a burst of
  // PUBACKs) leave in one write, as the broker sends its PUBACKs (broker/guarded-connection.ts):
  // a syscall and a loopback segment per publish cost the generator a third of its CPU, CPU
  // the processes it measures then did not get. Paced publishes go one per turn and connection.
  return {
    publish(topic, payload, onAck) {
      // Packet ids 1–65535, non-zero [MQTT-2.3.1-1]; one still in flight is skipped.
      if (waiting.size >= 0xffff) throw new Error('65,535 publishes in flight on one connection: no packet id left');
      do nextId = (nextId % 0xffff) + 1;
      while (waiting.has(nextId));
      waiting.set(nextId, onAck);
      corkForTurn(socket);
      socket.write(publishPacket(topic, nextId, payload));
    },
    inFlight: () => waiting.size,
    onClose(listener) {
      socket.once('close', listener);
      return () => socket.off('close', listener);
    },
    close: () =>
      new Promise<void>((resolve) => {
        if (socket.closed) {
          resolve();
          return;
        }
        // DISCONNECT [MQTT-3.14], then the socket ends.
        socket.end(Buffer.from([0xe0, 0x00]), () => resolve());
        socket.once('close', () => resolve());
      }),
  };
}
