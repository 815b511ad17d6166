import { describe, expect, it } from 'vitest';
import { connectPacket, PINGREQ, readConnack } from '../storm-packets.js';

describe('storm packets', () => {
  it('when a CONNECT is built, then it is MQTT 3.1.1 with clean session, the keep-alive and the client id', () => {
    const packet = connectPacket('a1', 60);
    expect([...packet]).toEqual([0x10, 14, 0, 4, 0x4d, 0x51, 0x54, 0x54, 4, 0x02, 0, 60, 0, 2, 0x61, 0x31]);
  });

  it('when the client id makes the packet longer than 127 bytes, then the remaining length takes two bytes', () => {
    const packet = connectPacket('x'.repeat(200), 300);
    expect([...packet.subarray(0, 3)]).toEqual([0x10, (212 % 128) | 0x80, 1]);
    expect(packet.length).toBe(3 + 212);
    expect(packet.readUInt16BE(3 + 8)).toBe(300);
  });

  it('when the keep-alive is out of range, then building the CONNECT fails', () => {
    expect(() => connectPacket('a', 70_000)).toThrow(/keep-alive/);
  });

  it('when a CONNACK is read, then return code 0 is accepted and anything else names the reason', () => {
    expect(readConnack(Uint8Array.from([0x20, 0x02, 0x00, 0x00]))).toEqual({ ok: true });
    expect(readConnack(Uint8Array.from([0x20, 0x02, 0x00, 0x05]))).toEqual({ ok: false, reason: 'CONNACK return code 5' });
    expect(readConnack(Uint8Array.from([0xd0, 0x00, 0x20, 0x02]))).toMatchObject({ ok: false });
    expect(readConnack(Uint8Array.from([0x20]))).toMatchObject({ ok: false });
  });

  it('PINGREQ is the two-byte packet of type 12', () => {
    expect([...PINGREQ]).toEqual([0xc0, 0x00]);
  });
});
