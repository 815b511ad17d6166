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
