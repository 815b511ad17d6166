// The message an agent publishes: a real ReadingContainer, optionally padded to a payload size.
// Padding is an unknown length-delimited field (number 15): protobuf decoders skip unknown fields,
// so the broker still validates and journals the container, and the write service stores it.
//
// buildPayload encodes through protobufjs, as the device agent does. The fleet publishes tens of
// thousands of these a second on the two cores it measures, so it uses createPayloadWriter: the
// same bytes (a test holds it to buildPayload's output), with every part that does not change
// between containers encoded once per agent.
import { encodeContainer, type Measurement } from '../../proto/container.js';
import { quantityToWire } from '../../proto/quantities.js';
import { CONTAINER_TAG, MEASUREMENT_TAG } from '../../proto/wire-cursor.js';

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

/** Writes `value` as a varint at `at`; returns the offset after it. Exact up to 2^53. */
function writeVarint(out: Uint8Array, at: number, value: number): number {
  while (value >= 0x80) {
    out[at++] = (value % 0x80) | 0x80;
    value = Math.floor(value / 0x80);
  }
  out[at++] = value;
  return at;
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
  out[encoded.byteLength] = PAD_TAG;
  writeVarint(out, encoded.byteLength + 1, content);
  out.fill(0x61, out.byteLength - content); // 'a': compressible on purpose, like real padding
  return out;
}

/** The reading values the load carries: deterministic, so a count check can also check values. */
const readingValue = (seq: number, reading: number): number => (seq * 7 + reading) % 3000;

export function buildPayload(agent: AgentIdentity, seq: number, readings: number, payloadBytes: number, nowMs: number): Uint8Array {
  const timestampMs = agent.baseMs + seq;
  const measurements: Measurement[] = [];
  for (let i = 0; i < readings; i++) {
    measurements.push({ deviceId: `socket-${i}`, quantity: 'power_w', value: readingValue(seq, i), timestampMs });
  }
  const encoded = encodeContainer({ householdId: agent.householdId, agentId: agent.agentId, seq, createdAtMs: nowMs, measurements });
  return padToSize(encoded, payloadBytes);
}

const lengthDelimited = (tag: number, text: string): Buffer => {
  const bytes = Buffer.from(text, 'utf8');
  const prefix = Buffer.alloc(1 + varintLength(bytes.byteLength));
  prefix[0] = tag;
  writeVarint(prefix, 1, bytes.byteLength);
  return Buffer.concat([prefix, bytes]);
};

/**
 * buildPayload's bytes for one agent, fast: `(seq, nowMs) => payload`. The ids, the device ids
 * and the quantity are encoded once, each measurement's opening (tag, length, device, quantity)
 * once per timestamp width, and the timestamp once per container: per container only the numbers
 * are written.
 */
export function createPayloadWriter(agent: AgentIdentity, readings: number, payloadBytes: number): (seq: number, nowMs: number) => Uint8Array {
  const head = Buffer.concat([lengthDelimited(CONTAINER_TAG.household, agent.householdId), lengthDelimited(CONTAINER_TAG.agent, agent.agentId)]);
  const devices = Array.from({ length: readings }, (_, i) => Buffer.concat([lengthDelimited(MEASUREMENT_TAG.device, `socket-${i}`), Buffer.from([MEASUREMENT_TAG.quantity, quantityToWire('power_w')])]));
  // A measurement's length counts its timestamp, so its opening depends on the timestamp's width.
  let openingsFor = -1;
  let openings: Buffer[] = [];
  let openingBytes = 0;
  const timestamp = Buffer.alloc(10);
  return (seq, nowMs) => {
    const timestampMs = agent.baseMs + seq;
    const timestampLength = writeVarint(timestamp, 0, timestampMs);
    if (timestampLength !== openingsFor) {
      openingsFor = timestampLength;
      openings = devices.map((device) => {
        const length = device.byteLength + 9 + 1 + timestampLength;
        const opening = Buffer.alloc(1 + varintLength(length) + device.byteLength);
        opening[0] = CONTAINER_TAG.measurement;
        device.copy(opening, writeVarint(opening, 1, length));
        return opening;
      });
      openingBytes = openings.reduce((sum, opening) => sum + opening.byteLength, 0);
    }
    const size = head.byteLength + 1 + varintLength(seq) + 1 + varintLength(nowMs) + openingBytes + readings * (9 + 1 + timestampLength);
    const out = Buffer.allocUnsafe(size);
    const view = new DataView(out.buffer, out.byteOffset, out.byteLength);
    out.set(head, 0);
    let at = head.byteLength;
    out[at++] = CONTAINER_TAG.seq;
    at = writeVarint(out, at, seq);
    out[at++] = CONTAINER_TAG.createdAt;
    at = writeVarint(out, at, nowMs);
    for (let i = 0; i < readings; i++) {
      const opening = openings[i]!;
      out.set(opening, at);
      at += opening.byteLength;
      out[at++] = MEASUREMENT_TAG.value;
      view.setFloat64(at, readingValue(seq, i), true);
      at += 8;
      out[at++] = MEASUREMENT_TAG.timestamp;
      for (let b = 0; b < timestampLength; b++) out[at++] = timestamp[b]!;
    }
    return padToSize(out, payloadBytes);
  };
}
