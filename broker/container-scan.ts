// The broker's fast path for a readings publish: reads the protobuf wire format in place (no
// objects, no string decoding) and answers only "certainly valid for this topic" or "ask the full
// validator". Decoding into objects and validating them cost 4.4 µs of the broker's ~30 µs per
// message (broker/bench/validate-benchmark.ts); containers as agents send them take the fast path.
//
// Soundness is what matters: `true` only where validateReadingsPublish (validate-container.ts)
// accepts the payload too, and protobufjs, which the write service decodes with, reads the same
// values. So the scan accepts a narrow shape and sends everything else to the full validator,
// which then gives the verdict (and the reason, when it refuses):
// - every field appears at most once with its declared wire type (protobuf lets a later one win;
//   rare enough not to imitate); unknown fields only in the container, numbered 6–15, varint or
//   length-delimited (skipped, as protobuf decoders do);
// - device ids are printable ASCII (U+0020–U+007E): no control character, no surrogate, length in
//   characters = length in bytes, so the checks of deviceIdProblem reduce to byte tests;
// - seq and timestamps are varints of at most 8 bytes (up to 2^56; the checks need ≤ 2^53 − 1).
// A property test (broker/test/container-scan.test.ts) holds the scan to this against mutated
// and random payloads.
//
// Given `devices`, it also hashes each device id it accepts (a run of one device once) for the
// per-agent device bound (agent-device-bound.ts), from the bytes in place; they are meaningful
// only when it returns true.
import type { AgentTopic } from '../proto/topics.js';
import { quantityFromWire } from '../proto/quantities.js';
import { MAX_TAG_VALUE_BYTES, separatorAt } from '../services/write/line-protocol.js';
import type { ValidationLimits } from './validate-container.js';
import { hashDeviceIdBytes, type DeviceIdHashes } from './device-id-hashes.js';
import { CONTAINER_TAG, readMeasurement, sameBytes, skipUnknownField, WireCursor, type MeasurementFields } from '../proto/wire-cursor.js';

const BACKSLASH = 0x5c;
const HASH = 0x23;

/** Known quantities by wire value (a table: this runs for every reading). */
const KNOWN_QUANTITY = Uint8Array.from({ length: 128 }, (_, wire) => (quantityFromWire(wire) === undefined ? 0 : 1));

/** The LEN field at the cursor equals `text`, an ASCII topic level (the topic grammar allows only [A-Za-z0-9_-]). */
function equalsAscii(cursor: WireCursor, text: string): boolean {
  const length = cursor.length();
  if (length !== text.length) return false;
  for (let i = 0; i < length; i++) if (cursor.bytes[cursor.pos + i] !== text.charCodeAt(i)) return false;
  cursor.pos += length;
  return true;
}

/** A device id that passes deviceIdProblem and tagValueProblem, judged on its bytes (printable ASCII only). */
function isPlainDeviceId(bytes: Uint8Array, start: number, length: number, maxChars: number): boolean {
  if (length === 0 || length > maxChars || length * 2 > MAX_TAG_VALUE_BYTES) return false;
  const end = start + length;
  for (let i = start; i < end; i++) {
    const byte = bytes[i] as number;
    if (byte < 0x20 || byte > 0x7e || (byte === HASH && separatorAt(bytes, i, end))) return false;
  }
  return bytes[end - 1] !== BACKSLASH;
}

/** True only if the payload is certainly a valid container for `topic` (see the header). */
export function scanReadingsPublish(topic: AgentTopic, payload: Uint8Array, nowMs: number, limits: ValidationLimits, devices?: DeviceIdHashes): boolean {
  if (payload.byteLength > limits.maxContainerBytes) return false;
  devices?.reset();
  const oldest = nowMs - limits.maxReadingAgeMs;
  const newest = nowMs + limits.maxFutureSkewMs;
  const cursor = new WireCursor(payload, payload.byteLength);
  let seen = 0; // bit per container field
  let measurements = 0;
  let lastDeviceStart = -1;
  let lastDeviceLength = 0;
  const fields: MeasurementFields = { deviceStart: -1, deviceLength: 0, quantity: -1, valueAt: -1, timestampMs: -1 };
  while (cursor.pos < payload.byteLength) {
    const tag = payload[cursor.pos++];
    if (tag === CONTAINER_TAG.measurement) {
      const length = cursor.length();
      if (length < 0) return false;
      if (!readMeasurement(cursor, cursor.pos + length, fields)) return false;
      const { deviceStart, deviceLength, valueAt } = fields;
      // A missing value decodes as 0 (finite); a missing device id, quantity or timestamp does not pass.
      if (deviceStart < 0 || KNOWN_QUANTITY[fields.quantity] !== 1 || fields.timestampMs < oldest || fields.timestampMs > newest) return false;
      // Little-endian double: all exponent bits set is an infinity or NaN.
      if (valueAt >= 0 && ((payload[valueAt + 7] as number) & 0x7f) === 0x7f && ((payload[valueAt + 6] as number) & 0xf0) === 0xf0) return false;
      // Containers list several quantities of one device in a row: judge each id once.
      const sameDevice = deviceLength === lastDeviceLength && lastDeviceStart >= 0 && sameBytes(payload, deviceStart, lastDeviceStart, deviceLength);
      if (!sameDevice) {
        if (!isPlainDeviceId(payload, deviceStart, deviceLength, limits.maxDeviceIdChars)) return false;
        devices?.add(hashDeviceIdBytes(payload, deviceStart, deviceLength));
      }
      lastDeviceStart = deviceStart;
      lastDeviceLength = deviceLength;
      measurements++;
      continue;
    }
    if (tag === CONTAINER_TAG.household) {
      if ((seen & 1) !== 0 || !equalsAscii(cursor, topic.householdId)) return false;
      seen |= 1;
    } else if (tag === CONTAINER_TAG.agent) {
      if ((seen & 2) !== 0 || !equalsAscii(cursor, topic.agentId)) return false;
      seen |= 2;
    } else if (tag === CONTAINER_TAG.seq) {
      if ((seen & 4) !== 0 || cursor.varint() < 1) return false;
      seen |= 4;
    } else if (tag === CONTAINER_TAG.createdAt) {
      // 0 means "not stated" (proto3 cannot tell it from absent); anything else is checked as the
      // validator checks it: inside the readings' window.
      if ((seen & 8) !== 0) return false;
      const createdAtMs = cursor.varint();
      if (createdAtMs < 0 || (createdAtMs !== 0 && (createdAtMs < oldest || createdAtMs > newest))) return false;
      seen |= 8;
    } else if (!skipUnknownField(cursor, tag)) {
      return false;
    }
  }
  // Household, agent and seq are required to match or be positive; created-at may be absent (0).
  return (seen & 0b111) === 0b111 && measurements >= 1 && measurements <= limits.maxMeasurementsPerContainer;
}
