// The write service's fast path from a journaled container to its line-protocol text: reads the
// protobuf wire format in place and writes the lines as UTF-8 bytes, with no protobufjs objects
// and no strings to decode, join and encode again (docs/benchmarks.md, "Sixth look").
//
// The text must be exactly what containerToLines (line-protocol.ts) makes of decodeContainer's
// result, so this takes only a narrow, common shape and answers undefined for anything else; the
// caller then takes the protobufjs path, which also gives the reason when a container is bad:
// - every field at most once, with its declared wire type; unknown container fields 6–15 skipped
//   as protobuf decoders skip them (protobuf lets a later duplicate win: rare, not imitated);
// - household, agent and device ids present and printable ASCII (U+0020–U+007E) that
//   tagValueProblem certainly accepts: their bytes are their characters and their UTF-8, so they
//   are escaped and copied as bytes;
// - a known quantity and a timestamp on every measurement; seq and timestamps up to 2^53 − 1.
// A property test (services/write/test/wire-lines.test.ts) compares the two paths.
import { quantityFromWire } from '../../proto/quantities.js';
import { CONTAINER_TAG, readMeasurement, skipUnknownField, WireCursor, type MeasurementFields } from '../../proto/wire-cursor.js';
import { NEWLINE, writeBytes, writeEscaped, writeText } from './line-byte-writers.js';
import { formatFloat, MEASUREMENT } from './line-protocol.js';
import { newSlab, SLAB_BYTES } from './line-slabs.js';

export interface ContainerLines {
  /**
   * The container's lines, newline-separated, as UTF-8: the bytes of containerToLines(…).join('\n').
   * A view of a slab (line-slabs.ts): it stays valid, and the next container's lines follow it there.
   */
  readonly bytes: Buffer;
  readonly lineCount: number;
  readonly createdAtMs: number;
  /** The oldest and newest reading's timestamp; -1 in a container without readings. */
  readonly oldestReadingMs: number;
  readonly newestReadingMs: number;
}

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
const AGENT_PART = Buffer.from(`${MEASUREMENT},agent=`, 'latin1');
const DEVICE_PART = Buffer.from(',device=', 'latin1');
const HOUSEHOLD_PART = Buffer.from(',household=', 'latin1');
const SEQ_PART = Buffer.from(',seq=', 'latin1');
/** Bytes of the fixed text around a container's shared parts, and the `i ` after its seq. */
const PARTS_FIXED = AGENT_PART.byteLength + DEVICE_PART.byteLength + HOUSEHOLD_PART.byteLength + SEQ_PART.byteLength + LONGEST_INTEGER + 2;

/**
 * The slab this container's lines go into, and where (line-slabs.ts). A container's shared
 * parts (agent, household, seq) are written at the slab's end as scratch, where they can be copied
 * within the slab into each line; lines never reach them (the room made in containerLinesFromWire).
 */
let slab = newSlab(SLAB_BYTES);
let slabAt = 0;

/** Start and end of each measurement in the payload, reused across containers. */
const measurementStarts: number[] = [];
const measurementEnds: number[] = [];
const fields: MeasurementFields = { deviceStart: -1, deviceLength: 0, quantity: -1, valueAt: -1, timestampMs: -1 };

/** A non-empty LEN field at the cursor: its start (the cursor moves past it), or -1. Its bytes are checked as they are written (writeEscaped). */
function idField(cursor: WireCursor): number {
  const length = cursor.length();
  if (length <= 0) return -1;
  const start = cursor.pos;
  cursor.pos += length;
  return start;
}

/** The container's own fields, by position in its payload; one object reused across containers. */
const head = { householdStart: -1, householdLength: 0, agentStart: -1, agentLength: 0, seq: 0, createdAtMs: 0 };

/**
 * Pass 1: the container's own fields into `head`, and where its measurements are. False when the
 * container is not of the shape read here.
 */
function readContainerHead(bytes: Buffer, cursor: WireCursor): boolean {
  let seen = 0; // bit per numeric container field (seq, created-at)
  head.householdStart = -1;
  head.agentStart = -1;
  head.seq = 0;
  head.createdAtMs = 0;
  measurementStarts.length = 0;
  measurementEnds.length = 0;
  while (cursor.pos < bytes.byteLength) {
    const tag = bytes[cursor.pos++];
    if (tag === CONTAINER_TAG.measurement) {
      const length = cursor.length();
      if (length < 0) return false;
      measurementStarts.push(cursor.pos);
      measurementEnds.push(cursor.pos + length);
      cursor.pos += length;
    } else if (tag === CONTAINER_TAG.household) {
      if (head.householdStart >= 0) return false;
      head.householdStart = idField(cursor);
      if (head.householdStart < 0) return false;
      head.householdLength = cursor.pos - head.householdStart;
    } else if (tag === CONTAINER_TAG.agent) {
      if (head.agentStart >= 0) return false;
      head.agentStart = idField(cursor);
      if (head.agentStart < 0) return false;
      head.agentLength = cursor.pos - head.agentStart;
    } else if (tag === CONTAINER_TAG.seq) {
      if ((seen & 1) !== 0) return false;
      seen |= 1;
      head.seq = cursor.varint();
      if (head.seq < 0) return false;
    } else if (tag === CONTAINER_TAG.createdAt) {
      if ((seen & 2) !== 0) return false;
      seen |= 2;
      head.createdAtMs = cursor.varint();
      if (head.createdAtMs < 0) return false;
    } else if (!skipUnknownField(cursor, tag)) {
      return false;
    }
  }
  return head.householdStart >= 0 && head.agentStart >= 0;
}

/** Makes `room` bytes free at `slabAt`, starting a new slab when this one has too few left. */
function reserveSlab(room: number): void {
  if (slabAt + room > slab.byteLength) {
    slab = newSlab(Math.max(SLAB_BYTES, room));
    slabAt = 0;
  }
}

/** Where the shared parts lie in the slab: `reading,agent=A,device=` · `,household=H` · `,seq=Ni `. */
const parts = { headAt: 0, householdAt: 0, seqAt: 0, end: 0 };

/** Writes the container's shared parts at `at` (the slab's end); false when an id cannot be a tag value. */
function writeSharedParts(out: Buffer, at: number, bytes: Buffer): boolean {
  parts.headAt = at;
  at = writeEscaped(out, writeBytes(out, at, AGENT_PART), bytes, head.agentStart, head.agentLength);
  if (at < 0) return false;
  at = writeBytes(out, at, DEVICE_PART);
  parts.householdAt = at;
  at = writeEscaped(out, writeBytes(out, at, HOUSEHOLD_PART), bytes, head.householdStart, head.householdLength);
  if (at < 0) return false;
  parts.seqAt = at;
  at = writeBytes(out, at, SEQ_PART);
  at = writeText(out, at, String(head.seq));
  out[at++] = 0x69; // i: an integer field
  out[at++] = 0x20;
  parts.end = at;
  return true;
}

/** The last timestamp written, and its text: a container's readings usually share one, formatted once. */
let lastTimestampMs = -1;
let lastTimestampText = '';
/** The container's oldest and newest timestamps so far. */
let oldestMs = -1;
let newestMs = -1;

/** Writes the line of the measurement just read into `fields` at `at`: the end of the line, or -1. */
function writeLine(out: Buffer, at: number, bytes: Buffer): number {
  const { deviceStart, deviceLength, valueAt, timestampMs } = fields;
  const quantity = fields.quantity >= 0 && fields.quantity < QUANTITY_PART.length ? QUANTITY_PART[fields.quantity] : undefined;
  if (quantity === undefined || deviceStart < 0 || deviceLength === 0 || timestampMs < 0) return -1;
  out.copyWithin(at, parts.headAt, parts.householdAt);
  at += parts.householdAt - parts.headAt;
  at = writeEscaped(out, at, bytes, deviceStart, deviceLength);
  if (at < 0) return -1;
  out.copyWithin(at, parts.householdAt, parts.seqAt);
  at += parts.seqAt - parts.householdAt;
  out.set(quantity, at);
  at += quantity.byteLength;
  // A missing value is 0 in proto3, as protobufjs decodes it.
  at = writeText(out, at, formatFloat(valueAt < 0 ? 0 : bytes.readDoubleLE(valueAt)));
  out.copyWithin(at, parts.seqAt, parts.end);
  at += parts.end - parts.seqAt;
  if (timestampMs !== lastTimestampMs) {
    lastTimestampMs = timestampMs;
    lastTimestampText = String(timestampMs);
    if (oldestMs < 0 || timestampMs < oldestMs) oldestMs = timestampMs;
    if (timestampMs > newestMs) newestMs = timestampMs;
  }
  return writeText(out, at, lastTimestampText);
}

/** The container's line-protocol lines as bytes, or undefined when it is not of the shape read here (see the header). */
export function containerLinesFromWire(payload: Uint8Array): ContainerLines | undefined {
  const bytes = Buffer.isBuffer(payload) ? payload : Buffer.from(payload.buffer, payload.byteOffset, payload.byteLength);
  const cursor = new WireCursor(bytes, bytes.byteLength);
  if (!readContainerHead(bytes, cursor)) return undefined;

  // Pass 2: one line per measurement, as appendContainerLines writes it. Everything is ASCII, so
  // the bytes are written directly. Room for the longest possible text is made first, so the
  // writes below need no bounds checks: each line at most doubles its device id (escapes) and
  // adds the shared parts and two numbers; the shared parts at most double the two ids.
  const lineCount = measurementStarts.length;
  const partsRoom = PARTS_FIXED + 2 * (head.agentLength + head.householdLength);
  const linesRoom = lineCount * (partsRoom + LONGEST_QUANTITY_PART + LONGEST_FLOAT + LONGEST_INTEGER + 1) + 2 * bytes.byteLength + 1;
  reserveSlab(linesRoom + partsRoom);
  const out = slab;
  if (!writeSharedParts(out, out.byteLength - partsRoom, bytes)) return undefined;

  const linesAt = slabAt;
  let at = linesAt;
  lastTimestampMs = -1;
  oldestMs = -1;
  newestMs = -1;
  for (let m = 0; m < lineCount; m++) {
    cursor.pos = measurementStarts[m] as number;
    if (!readMeasurement(cursor, measurementEnds[m] as number, fields)) return undefined;
    if (m > 0) out[at++] = NEWLINE;
    at = writeLine(out, at, bytes);
    if (at < 0) return undefined;
  }
  // The separator from the next container's lines (outside this view); none after an empty one.
  if (lineCount > 0) {
    out[at] = NEWLINE;
    slabAt = at + 1;
  }
  return { bytes: out.subarray(linesAt, at), lineCount, createdAtMs: head.createdAtMs, oldestReadingMs: oldestMs, newestReadingMs: newestMs };
}
