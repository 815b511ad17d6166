import { describe, expect, it } from 'vitest';
import { generate } from 'mqtt-packet';
import { PacketSizeScanner } from '../packet-size-scanner.js';

const publish = (bytes: number): Buffer =>
  generate({ cmd: 'publish', topic: 't', payload: Buffer.alloc(bytes), qos: 0, retain: false, dup: false });

describe('PacketSizeScanner', () => {
  it('when packets are within the limit, then every split of the stream passes', () => {
    const stream = Buffer.concat([publish(10), publish(200), generate({ cmd: 'pingreq' }), publish(1000)]);
    for (let split = 1; split < stream.length; split += 7) {
      const scanner = new PacketSizeScanner(1100);
      expect(scanner.scan(stream.subarray(0, split))).toEqual({ ok: true });
      expect(scanner.scan(stream.subarray(split))).toEqual({ ok: true });
    }
  });

  it('when asked where packets start, then it names exactly the packets that begin in each chunk', () => {
    const packets = [publish(10), publish(200), generate({ cmd: 'pingreq' }), publish(1000)];
    const offsets = packets.map((_, i) => packets.slice(0, i).reduce((sum, p) => sum + p.length, 0));
    const stream = Buffer.concat(packets);
    for (let split = 1; split < stream.length; split += 5) {
      const scanner = new PacketSizeScanner(1100);
      const first: number[] = [];
      const second: number[] = [];
      scanner.scan(stream.subarray(0, split), first);
      scanner.scan(stream.subarray(split), second);
      expect([...first, ...second.map((at) => at + split)]).toEqual(offsets);
    }
  });

  it('when a packet announces more than the limit, then it is refused from its header alone', () => {
    const scanner = new PacketSizeScanner(1000);
    expect(scanner.scan(publish(500))).toEqual({ ok: true });
    const big = publish(5000);
    const verdict = scanner.scan(big.subarray(0, 4)); // header only: the body never needs to arrive
    expect(verdict.ok).toBe(false);
    expect(verdict.ok ? '' : verdict.reason).toMatch(/exceeds the 1000-byte limit/);
  });

  it('when the remaining length runs past 4 bytes, then the stream is malformed [MQTT-2.2.3]', () => {
    const scanner = new PacketSizeScanner(Number.MAX_SAFE_INTEGER);
    const verdict = scanner.scan(Uint8Array.from([0x30, 0xff, 0xff, 0xff, 0xff, 0x01]));
    expect(verdict.ok ? '' : verdict.reason).toMatch(/malformed/);
  });

  it('when a packet has a zero remaining length, then the next byte starts a new packet', () => {
    const scanner = new PacketSizeScanner(2);
    expect(scanner.scan(Buffer.concat([generate({ cmd: 'pingreq' }), generate({ cmd: 'pingreq' })]))).toEqual({ ok: true });
  });
});

describe('PacketSizeScanner conformance checks (packet-conformance.ts)', () => {
  const badTopic = (): Buffer => {
    const bytes = generate({ cmd: 'publish', topic: 'abcd', payload: Buffer.alloc(20), qos: 1, messageId: 9, retain: false, dup: false });
    bytes[bytes.indexOf('abcd') + 2] = 0xc3; // 'c' becomes a lead byte followed by 'd': ill-formed
    return bytes;
  };

  it('when a publish with an ill-formed topic is split at any point, then it is refused in the chunk that completes its topic and packet identifier', () => {
    const good = publish(30);
    const stream = Buffer.concat([good, badTopic()]);
    const checkedEnd = good.length + 2 + 2 + 4 + 2; // fixed header, topic length, topic, packet identifier
    for (let split = 1; split < stream.length; split++) {
      const scanner = new PacketSizeScanner(1000);
      const first = scanner.scan(stream.subarray(0, split));
      const second = scanner.scan(stream.subarray(split));
      const refused = split >= checkedEnd ? first : second;
      expect(refused, `split at ${split}`).toMatchObject({ ok: false, kind: 'protocol', reason: expect.stringMatching(/MQTT-1\.5\.3-1/) as string });
      if (split < checkedEnd) expect(first).toEqual({ ok: true });
    }
  });

  it('when a chunk arrives after a refusal, then it is refused too, as after-refusal', () => {
    const scanner = new PacketSizeScanner(1000);
    expect(scanner.scan(badTopic()).ok).toBe(false);
    expect(scanner.scan(publish(1))).toMatchObject({ ok: false, kind: 'after-refusal' });
  });

  it('when a QoS 1 publish has packet identifier 0 split between two reads, then it is refused [MQTT-2.3.1-1]', () => {
    const bytes = generate({ cmd: 'publish', topic: 't', payload: Buffer.alloc(5), qos: 1, messageId: 1, retain: false, dup: false });
    bytes[6] = 0; // identifier 0x0001 → 0x0000
    const scanner = new PacketSizeScanner(1000);
    expect(scanner.scan(bytes.subarray(0, 6))).toEqual({ ok: true });
    expect(scanner.scan(bytes.subarray(6))).toMatchObject({ ok: false, kind: 'protocol', reason: expect.stringMatching(/identifier 0/) as string });
  });

  it('when the first packet is a CONNECT of protocol level 6, then the refusal asks for CONNACK 0x01; a later one gets none [MQTT-3.1.0-2]', () => {
    const connect = generate({ cmd: 'connect', clientId: 'c', protocolId: 'MQTT', protocolVersion: 4, clean: true, keepalive: 30 });
    connect[8] = 6;
    expect(new PacketSizeScanner(1000).scan(connect)).toMatchObject({ ok: false, kind: 'protocol', connackReturnCode: 1 });
    const second = new PacketSizeScanner(1000).scan(Buffer.concat([generate({ cmd: 'pingreq' }), connect]));
    expect(second).toMatchObject({ ok: false, kind: 'protocol' });
    expect(second).not.toHaveProperty('connackReturnCode');
  });
});
