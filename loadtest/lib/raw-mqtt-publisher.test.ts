import { parser as mqttParser, type IPublishPacket, type Packet } from 'mqtt-packet';
import { describe, expect, it } from 'vitest';
import { createAckReader, publishPacket } from './raw-mqtt-publisher.js';

describe('raw MQTT publisher: packets', () => {
  it('when a QoS1 PUBLISH is built, then a conforming MQTT parser reads back topic, id and payload', () => {
    const payload = Buffer.alloc(300, 7); // remaining length > 127: a two-byte length field
    const bytes = publishPacket('em/v1/h1/a1/readings', 513, payload);
    const packets: Packet[] = [];
    const parser = mqttParser({ protocolVersion: 4 });
    parser.on('packet', (p) => packets.push(p));
    parser.parse(bytes);
    expect(packets).toHaveLength(1);
    const publish = packets[0] as IPublishPacket;
    expect(publish.cmd).toBe('publish');
    expect(publish.qos).toBe(1);
    expect(publish.retain).toBe(false);
    expect(publish.topic).toBe('em/v1/h1/a1/readings');
    expect(publish.messageId).toBe(513);
    expect(Buffer.compare(publish.payload as Buffer, payload)).toBe(0);
  });

  it('when PUBACKs arrive split across chunks and several in one, then each id is reported once, in order', () => {
    const ids: number[] = [];
    const read = createAckReader((id) => ids.push(id));
    const stream = Buffer.from([0x40, 0x02, 0x00, 0x01, 0xd0, 0x00, 0x40, 0x02, 0x01, 0x02, 0x40, 0x02, 0xff, 0xff]);
    read(stream.subarray(0, 3));
    read(stream.subarray(3, 7));
    read(stream.subarray(7));
    expect(ids).toEqual([1, 258, 65535]);
  });

  it('when the broker sends something a publisher never expects, then the reader says so', () => {
    const read = createAckReader(() => undefined);
    expect(() => read(Buffer.from([0x30, 0x03, 0x00, 0x01, 0x61]))).toThrow('unexpected MQTT packet type 3');
  });
});
