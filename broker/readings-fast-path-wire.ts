// The bytes the readings fast path (readings-fast-path.ts) reads and writes itself: a packet's
// first byte, the PUBACK it sends, and the payload a taken publish keeps while it waits.
import type { Duplex } from 'node:stream';
import { corkForTurn } from '../lib/stream/cork-for-turn.js';

export const PUBLISH_QOS1 = 0x32;
/** Any PUBLISH: the packet type in the fixed header's high nibble is 3 [MQTT-2.2.1]. */
export const isPublish = (firstByte: number): boolean => firstByte >> 4 === 3;
export const DUP_FLAG = 0x08;
export const DISCONNECT = 0xe0;
const PUBACK = 0x40;

/**
 * The payload at [from, end) of a socket read. A view keeps the whole read alive (up to 64 KiB)
 * while the publish waits for the journal, and MAX_IN_FLIGHT of them may wait per connection while
 * PUBACKs are held: a client could pin 8 MiB with small publishes in large reads. So a payload that
 * is a small part of its read is copied; one read of one agent's publish (the common case) is not.
 */
export function payloadOf(chunk: Buffer, from: number, end: number): Buffer {
  const view = chunk.subarray(from, end);
  return chunk.length > 4 * view.length + 1024 ? Buffer.from(view) : view;
}

export function acknowledge(socket: Duplex, messageId: number): void {
  if (socket.destroyed) return;
  // PUBACKs finished in one turn (a group commit) leave in one write.
  corkForTurn(socket);
  socket.write(Buffer.from([PUBACK, 2, messageId >> 8, messageId & 0xff]));
}
