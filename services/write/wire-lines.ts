// The write service's fast path from a journaled container to its line-protocol text: reads the
// protobuf wire format in place and writes the lines as UTF-8 bytes, with no protobufjs objects
// and no strings to decode, join and encode again (docs/benchmarks.md, "Sixth look").
//
// The text must be exactly what containerToLines (line-protocol.ts) makes of decodeContainer's
// result, so this takes only a narrow, common shape and answers undefined for anything else; the
// caller then takes the protobufjs path, which also gives the reason when a container is bad:
// - every field at most once, with its declared wire type; unknown container fields 6–15 skipped
//   as protobuf decoders skip them (protobuf lets a later duplicate win: rare, not imitated);
// - household, agent and device ids present and printable ASCII (U+0020–U+007E): their bytes are
//   their characters and their UTF-8, so they are escaped and copied as bytes;
// - a known quantity and a timestamp on every measurement; seq and timestamps up to 2^53 − 1.
// A property test (services/write/test/wire-lines.test.ts) compares the two paths.
import { quantityFromWire } from '../../proto/quantities.js';
import { CONTAINER_TAG, readMeasurement, skipUnknownField, WireCursor, type MeasurementFields } from '../../proto/wire-cursor.js';
import { escapeKey, formatFloat, formatInteger, MEASUREMENT } from './line-protocol.js';

export interface ContainerLines {
  /** The container's lines, newline-separated, as UTF-8: the bytes of containerToLines(…).join('\n'). */
  readonly bytes: Buffer;
  readonly lineCount: number;
  readonly householdId: string;
  readonly agentId: string;
  readonly seq: number;
  readonly createdAtMs: number;
}

const NEWLINE = 0x0a;
const BACKSLASH = 0x5c;

/** Line protocol escapes `,` `=` and space in tag values with a backslash (line-protocol.ts escapeKey). */
const NEEDS_ESCAPE = Uint8Array.from({ length: 128 }, (_, byte) => (byte === 0x2c || byte === 0x3d || byte === 0x20 ? 1 : 0));

/** `,quantity=<name> value=` by wire value, as bytes; undefined where the quantity is unknown. */
const QUANTITY_PART: readonly (Buffer | undefined)[] = Array.from({ length: 128 }, (_, wire) => {
  const quantity = quantityFromWire(wire);
  return quantity === undefined ? undefined : Buffer.from(`,quantity=${quantity} value=`, 'latin1');
});
const LONGEST_QUANTITY_PART = Math.max(...QUANTITY_PART.map((part) => part?.byteLength ?? 0));
/** The longest text String() gives a double: `-1.7976931348623157e+308`, `-2.2250738585072014e-308`. */
const LONGEST_FLOAT = 24;
/** Digits of a timestamp or seq up to 2^53. */
const LONGEST_INTEGER = 16;

/** Scratch space the lines are written into, grown when a container needs more; copied out per container. */
let scratch = Buffer.allocUnsafe(64 * 1024);

/** Printable ASCII: a byte that is a character of its own and needs no care beyond escaping. */
function isPrintableAscii(bytes: Uint8Array, start: number, length: number): boolean {
  for (let i = start; i < start + length; i++) {
    const byte = bytes[i] as number;
    if (byte < 0x20 || byte > 0x7e) return false;
  }
  return true;
}

/** A non-empty printable-ASCII LEN field at the cursor: its start (the cursor moves past it), or -1. */
function asciiField(cursor: WireCursor): number {
  const length = cursor.length();
  if (length <= 0 || !isPrintableAscii(cursor.bytes, cursor.pos, length)) return -1;
  const start = cursor.pos;
  cursor.pos += length;
  return start;
}

/** The container's line-protocol lines as bytes, or undefined when it is not of the shape read here (see the header). */
export function containerLinesFromWire(payload: Uint8Array): ContainerLines | undefined {
  const bytes = Buffer.isBuffer(payload) ? payload : Buffer.from(payload.buffer, payload.byteOffset, payload.byteLength);
  // Pass 1: the container's own fields, and where its measurements are.
  const cursor = new WireCursor(bytes, bytes.byteLength);
  let seen = 0; // bit per numeric container field (seq, created-at)
  let householdStart = -1;
  let householdLength = 0;
  let agentStart = -1;
  let agentLength = 0;
  let seq = 0;
  let createdAtMs = 0;
  const measurementStarts: number[] = [];
  const measurementEnds: number[] = [];
  while (cursor.pos < bytes.byteLength) {
    const tag = bytes[cursor.pos++];
    if (tag === CONTAINER_TAG.measurement) {
      const length = cursor.length();
      if (length < 0) return undefined;
      measurementStarts.push(cursor.pos);
      measurementEnds.push(cursor.pos + length);
      cursor.pos += length;
    } else if (tag === CONTAINER_TAG.household) {
      if (householdStart >= 0) return undefined;
      householdStart = asciiField(cursor);
      if (householdStart < 0) return undefined;
      householdLength = cursor.pos - householdStart;
    } else if (tag === CONTAINER_TAG.agent) {
      if (agentStart >= 0) return undefined;
      agentStart = asciiField(cursor);
      if (agentStart < 0) return undefined;
      agentLength = cursor.pos - agentStart;
    } else if (tag === CONTAINER_TAG.seq) {
      if ((seen & 1) !== 0) return undefined;
      seen |= 1;
      seq = cursor.varint();
      if (seq < 0) return undefined;
    } else if (tag === CONTAINER_TAG.createdAt) {
      if ((seen & 2) !== 0) return undefined;
      seen |= 2;
      createdAtMs = cursor.varint();
      if (createdAtMs < 0) return undefined;
    } else if (!skipUnknownField(cursor, tag)) {
      return undefined;
    }
  }
  if (householdStart < 0 || agentStart < 0) return undefined;

  // Pass 2: one line per measurement, as appendContainerLines writes it. Everything is ASCII, so
  // the bytes are written directly. Room for the longest possible text is made first, so the
  // writes below need no bounds checks: each line at most doubles its device id (escapes) and
  // adds the fixed parts and two numbers.
  const lineCount = measurementStarts.length;
  const householdId = bytes.toString('latin1', householdStart, householdStart + householdLength);
  const agentId = bytes.toString('latin1', agentStart, agentStart + agentLength);
  const head = `${MEASUREMENT},agent=${escapeKey(agentId)},device=`;
  const household = `,household=${escapeKey(householdId)}`;
  const seqSuffix = `,seq=${formatInteger(seq)} `;
  const perLine = head.length + household.length + LONGEST_QUANTITY_PART + LONGEST_FLOAT + seqSuffix.length + LONGEST_INTEGER + 1;
  const room = head.length + household.length + seqSuffix.length + lineCount * perLine + 2 * bytes.byteLength;
  if (scratch.byteLength < room) scratch = Buffer.allocUnsafe(Math.max(room, scratch.byteLength * 2));
  const out = scratch;
  // The parts every line shares go first in the scratch space, once, and are copied from there.
  let at = 0;
  for (let i = 0; i < head.length; i++) out[at++] = head.charCodeAt(i);
  const householdAt = at;
  for (let i = 0; i < household.length; i++) out[at++] = household.charCodeAt(i);
  const seqAt = at;
  for (let i = 0; i < seqSuffix.length; i++) out[at++] = seqSuffix.charCodeAt(i);
  const linesAt = at;
  let lastTimestampMs = -1;
  let lastTimestampText = '';
  const fields: MeasurementFields = { deviceStart: -1, deviceLength: 0, quantity: -1, valueAt: -1, timestampMs: -1 };
  for (let m = 0; m < lineCount; m++) {
    cursor.pos = measurementStarts[m] as number;
    if (!readMeasurement(cursor, measurementEnds[m] as number, fields)) return undefined;
    const { deviceStart, deviceLength, valueAt, timestampMs } = fields;
    const quantity = fields.quantity >= 0 && fields.quantity < QUANTITY_PART.length ? QUANTITY_PART[fields.quantity] : undefined;
    if (quantity === undefined || deviceStart < 0 || deviceLength === 0 || timestampMs < 0) return undefined;
    if (m > 0) out[at++] = NEWLINE;
    out.copyWithin(at, 0, householdAt);
    at += householdAt;
    for (let i = deviceStart; i < deviceStart + deviceLength; i++) {
      const byte = bytes[i] as number;
      if (byte < 0x20 || byte > 0x7e) return undefined;
      if (NEEDS_ESCAPE[byte] === 1) out[at++] = BACKSLASH;
      out[at++] = byte;
    }
    out.copyWithin(at, householdAt, seqAt);
    at += seqAt - householdAt;
    out.set(quantity, at);
    at += quantity.byteLength;
    // A missing value is 0 in proto3, as protobufjs decodes it.
    const value = formatFloat(valueAt < 0 ? 0 : bytes.readDoubleLE(valueAt));
    for (let i = 0; i < value.length; i++) out[at++] = value.charCodeAt(i);
    out.copyWithin(at, seqAt, linesAt);
    at += linesAt - seqAt;
    // A container's readings usually share one timestamp: format it once.
    if (timestampMs !== lastTimestampMs) {
      lastTimestampMs = timestampMs;
      lastTimestampText = String(timestampMs);
    }
    for (let i = 0; i < lastTimestampText.length; i++) out[at++] = lastTimestampText.charCodeAt(i);
  }
  // Copied out: the scratch space is the next container's.
  const lines = Buffer.allocUnsafe(at - linesAt);
  out.copy(lines, 0, linesAt, at);
  return {
    bytes: lines,
    lineCount,
    householdId,
    agentId,
    seq,
    createdAtMs,
  };
}
