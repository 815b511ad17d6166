// The message an agent publishes: a real ReadingContainer, optionally padded to a payload size.
// Padding is an unknown length-delimited field (number 15): protobuf decoders skip unknown fields,
// so the broker still validates and journals the container, and the write service stores it.
import { encodeContainer, type Measurement } from '../../proto/container.js';

export interface AgentIdentity {
  readonly householdId: string;
  readonly agentId: string;
  /** Readings are stamped baseMs + seq: unique per container, so no point overwrites another. */
  readonly baseMs: number;
}

const PAD_TAG = (15 << 3) | 2;

const varintLength = (value: number): number => {
  let length = 1;
  while (value >= 0x80) {
    value = Math.floor(value / 0x80);
    length++;
  }
  return length;
};

function varint(value: number): number[] {
  const bytes: number[] = [];
  while (value >= 0x80) {
    bytes.push((value % 0x80) | 0x80);
    value = Math.floor(value / 0x80);
  }
  bytes.push(value);
  return bytes;
}

/** `encoded` with a padding field appended so the result is at least `minBytes` long. */
export function padToSize(encoded: Uint8Array, minBytes: number): Uint8Array {
  const missing = minBytes - encoded.byteLength;
  if (missing <= 0) return encoded;
  // Tag (1 byte) + length varint + content must fill `missing`; the varint grows with the content.
  // An exact fit exists except where the varint changes width; then the result is one byte longer.
  let content = Math.max(0, missing - 2);
  for (let c = content; c >= Math.max(0, missing - 6); c--) {
    if (1 + varintLength(c) + c === missing) {
      content = c;
      break;
    }
  }
  const out = new Uint8Array(encoded.byteLength + 1 + varintLength(content) + content);
  out.set(encoded, 0);
  out.set([PAD_TAG, ...varint(content)], encoded.byteLength);
  out.fill(0x61, out.byteLength - content); // 'a': compressible on purpose, like real padding
  return out;
}

export function buildPayload(agent: AgentIdentity, seq: number, readings: number, payloadBytes: number, nowMs: number): Uint8Array {
  const timestampMs = agent.baseMs + seq;
  const measurements: Measurement[] = [];
  for (let i = 0; i < readings; i++) {
    measurements.push({ deviceId: `socket-${i}`, quantity: 'power_w', value: (seq * 7 + i) % 3000, timestampMs });
  }
  const encoded = encodeContainer({ householdId: agent.householdId, agentId: agent.agentId, seq, createdAtMs: nowMs, measurements });
  return padToSize(encoded, payloadBytes);
}
