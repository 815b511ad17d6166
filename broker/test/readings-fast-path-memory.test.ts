// What a readings publish taken off the socket keeps in memory while it waits for the journal
// (readings-fast-path.ts). Up to MAX_IN_FLIGHT of them wait per connection while PUBACKs are held;
// a payload that is a view into its socket read keeps that whole read (up to 64 KiB) alive.
import { Duplex } from 'node:stream';
import type { Client, PublishPacket } from 'aedes';
import { describe, expect, it } from 'vitest';
import { readingsTopic } from '../../proto/topics.js';
import { createReadingsFastPath } from '../readings-fast-path.js';

/** A QoS 1 PUBLISH [MQTT-3.3] with a one-byte Remaining Length (payloads under ~100 bytes here). */
function publish(topic: string, messageId: number, payload: Buffer): Buffer {
  const body = Buffer.concat([Buffer.from([topic.length >> 8, topic.length & 0xff]), Buffer.from(topic, 'latin1'), Buffer.from([messageId >> 8, messageId & 0xff]), payload]);
  return Buffer.concat([Buffer.from([0x32, body.length]), body]);
}

function takeFrom(chunk: Buffer, packetStarts: number[]): PublishPacket[] {
  const taken: PublishPacket[] = [];
  const fastPath = createReadingsFastPath({
    authorizePublish: (_client, packet) => taken.push(packet), // never calls back: the PUBACK is held
    forward: () => undefined,
  });
  const socket = new Duplex({ read: () => undefined, write: (_c, _e, cb: () => void) => cb() });
  fastPath.attach(socket, { id: 'a-1' } as unknown as Client);
  fastPath.split(socket, chunk, packetStarts);
  return taken;
}

describe('readings fast path: memory of waiting publishes', () => {
  it('when a small readings publish comes in a large socket read, then its waiting payload is a copy, not a view that keeps the read alive', () => {
    const payload = Buffer.from('container bytes');
    const filler = Buffer.alloc(60_000, 0xc0); // PINGREQs for Aedes: [0xc0, 0x00] each
    for (let i = 1; i < filler.length; i += 2) filler[i] = 0;
    const packet = publish(readingsTopic('h-1', 'a-1'), 7, payload);
    const chunk = Buffer.concat([packet, filler]);
    const [taken] = takeFrom(chunk, [0, ...Array.from({ length: filler.length / 2 }, (_, i) => packet.length + 2 * i)]);
    expect(taken?.payload).toEqual(payload);
    expect((taken?.payload as Buffer | undefined)?.buffer).not.toBe(chunk.buffer);
  });

  it('when a socket read holds just the one publish, then its payload stays a view (no copy on the common path)', () => {
    const payload = Buffer.from('container bytes');
    const chunk = publish(readingsTopic('h-1', 'a-1'), 7, payload);
    const [taken] = takeFrom(chunk, [0]);
    expect(taken?.payload).toEqual(payload);
    expect((taken?.payload as Buffer | undefined)?.buffer).toBe(chunk.buffer);
  });
});
