// The three MQTT 3.1.1 packets an idle storm agent needs, as bytes: CONNECT (clean session, no
// credentials), PINGREQ, and reading a CONNACK. A raw socket per agent costs the load generator a few
// hundred bytes, so 7,000 of them fit in one client process; an MQTT.js client costs far more.

/** PINGREQ: type 12, remaining length 0 [MQTT-3.12]. */
export const PINGREQ = Buffer.from([0xc0, 0x00]);

/** The remaining-length field of a fixed header: 1–4 bytes, 7 bits each, low first [MQTT-2.2.3]. */
export function remainingLength(length: number): number[] {
  const bytes: number[] = [];
  do {
    let byte = length % 128;
    length = Math.floor(length / 128);
    if (length > 0) byte |= 0x80;
    bytes.push(byte);
  } while (length > 0);
  return bytes;
}

/** CONNECT with protocol "MQTT" level 4, clean session, the given keep-alive and client id [MQTT-3.1]. */
export function connectPacket(clientId: string, keepaliveS: number): Buffer {
  if (!Number.isInteger(keepaliveS) || keepaliveS < 0 || keepaliveS > 0xffff) throw new Error(`keep-alive ${keepaliveS} s is not 0–65535`);
  const id = Buffer.from(clientId, 'utf8');
  if (id.length > 0xffff) throw new Error('client id too long');
  const variable = Buffer.from([0x00, 0x04, 0x4d, 0x51, 0x54, 0x54, 0x04, 0x02, keepaliveS >> 8, keepaliveS & 0xff]);
  const payload = Buffer.concat([Buffer.from([id.length >> 8, id.length & 0xff]), id]);
  return Buffer.concat([Buffer.from([0x10, ...remainingLength(variable.length + payload.length)]), variable, payload]);
}

export type ConnackVerdict = { readonly ok: true } | { readonly ok: false; readonly reason: string };

/** Reads the first four bytes a broker sends after CONNECT: a CONNACK with return code 0 means accepted. */
export function readConnack(bytes: Uint8Array): ConnackVerdict {
  if (bytes.length < 4) return { ok: false, reason: `CONNACK too short (${bytes.length} bytes)` };
  if (bytes[0] !== 0x20 || bytes[1] !== 0x02) return { ok: false, reason: `expected CONNACK, got packet byte 0x${(bytes[0] ?? 0).toString(16)}` };
  return bytes[3] === 0 ? { ok: true } : { ok: false, reason: `CONNACK return code ${bytes[3]}` };
}
