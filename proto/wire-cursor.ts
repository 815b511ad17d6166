// Reading readings.proto's wire format in place, for the hot paths that skip protobufjs: the
// broker's publish check (broker/container-scan.ts) and the write service's line builder
// (services/write/wire-lines.ts); the load generator writes with the same tags
// (loadtest/perftest/payload.ts). The readers accept a narrow, common shape and leave everything
// else to the protobufjs decoder, so this reads only what that shape needs.

// Wire types (protobuf encoding guide): VARINT = 0, I64 = 1, LEN = 2. A tag is (field << 3) | type;
// for fields 1–15 it is one byte, the only form read here.
/** ReadingContainer's fields. */
export const CONTAINER_TAG = {
  household: (1 << 3) | 2,
  agent: (2 << 3) | 2,
  seq: (3 << 3) | 0,
  createdAt: (4 << 3) | 0,
  measurement: (5 << 3) | 2,
} as const;

/** Measurement's fields. */
export const MEASUREMENT_TAG = {
  device: (1 << 3) | 2,
  quantity: (2 << 3) | 0,
  value: (3 << 3) | 1,
  timestamp: (4 << 3) | 0,
} as const;

/** A position in a payload; `NaN`-free integers only, -1 marks "not in the fast path". */
export class WireCursor {
  pos = 0;
  constructor(
    readonly bytes: Uint8Array,
    public end: number,
  ) {}

  /** An unsigned varint of at most 8 bytes as a safe integer, or -1. */
  varint(): number {
    let value = 0;
    let scale = 1;
    for (let i = 0; i < 8 && this.pos < this.end; i++) {
      const byte = this.bytes[this.pos++] as number;
      value += (byte & 0x7f) * scale;
      if (byte < 0x80) return value <= Number.MAX_SAFE_INTEGER ? value : -1;
      scale *= 128;
    }
    return -1;
  }

  /** The length of a LEN field whose bytes lie inside the current bounds, or -1. */
  length(): number {
    const length = this.varint();
    return length >= 0 && this.pos + length <= this.end ? length : -1;
  }
}

/** Bytes [a, a + length) equal bytes [b, b + length). */
export function sameBytes(bytes: Uint8Array, a: number, b: number, length: number): boolean {
  for (let i = 0; i < length; i++) if (bytes[a + i] !== bytes[b + i]) return false;
  return true;
}

/**
 * Skips a field this schema does not have (fields 6–15, varint or length-delimited), as protobuf
 * decoders do: the load generator pads payloads with one (loadtest/perftest/payload.ts). A known
 * field number with another wire type is not skipped: protobufjs would read it as its declared type.
 */
export function skipUnknownField(cursor: WireCursor, tag: number | undefined): boolean {
  if (tag === undefined || tag >>> 3 < 6 || tag >>> 3 > 15) return false;
  const wireType = tag & 7;
  if (wireType === 0) return cursor.varint() >= 0;
  if (wireType !== 2) return false;
  const length = cursor.length();
  if (length < 0) return false;
  cursor.pos += length;
  return true;
}

/** Where a Measurement's fields lie: -1 marks a field that is absent. */
export interface MeasurementFields {
  deviceStart: number;
  deviceLength: number;
  /** The quantity's wire value. */
  quantity: number;
  /** Offset of the little-endian double. */
  valueAt: number;
  timestampMs: number;
}

/**
 * Reads the Measurement in [cursor.pos, end) into `into` (reused by the caller: this runs for every
 * reading) and leaves the cursor at `end`. False if a field repeats, has another wire type, is not
 * one of the four, or runs past `end`: the shape the fast paths leave to protobufjs. Presence and
 * values are the caller's to judge.
 */
export function readMeasurement(cursor: WireCursor, end: number, into: MeasurementFields): boolean {
  const outerEnd = cursor.end;
  cursor.end = end;
  into.deviceStart = -1;
  into.deviceLength = 0;
  into.quantity = -1;
  into.valueAt = -1;
  into.timestampMs = -1;
  const { bytes } = cursor;
  while (cursor.pos < end) {
    const tag = bytes[cursor.pos++];
    if (tag === MEASUREMENT_TAG.device && into.deviceStart < 0) {
      const length = cursor.length();
      if (length < 0) return false;
      into.deviceStart = cursor.pos;
      into.deviceLength = length;
      cursor.pos += length;
    } else if (tag === MEASUREMENT_TAG.quantity && into.quantity < 0) {
      into.quantity = cursor.varint();
      if (into.quantity < 0) return false;
    } else if (tag === MEASUREMENT_TAG.value && into.valueAt < 0 && cursor.pos + 8 <= end) {
      into.valueAt = cursor.pos;
      cursor.pos += 8;
    } else if (tag === MEASUREMENT_TAG.timestamp && into.timestampMs < 0) {
      into.timestampMs = cursor.varint();
      if (into.timestampMs < 0) return false;
    } else {
      return false;
    }
  }
  cursor.end = outerEnd;
  return true;
}

/** As many measurements as the bytes from `from` on could hold: 2 bytes each, tag and length. */
const unreadableMeasurements = (cursor: WireCursor, from: number): number => Math.ceil((cursor.end - from) / 2);

/**
 * How many measurements a container's payload holds, for the broker's readings pace, which runs
 * before any validation. Never fewer than protobufjs would decode, so a crafted payload cannot pass
 * the pace cheap. It reads as protobufjs's generated decoder does: a known field by its number and
 * declared type whatever wire type its tag says (1, 2 and 5 length-delimited, 3 and 4 varints;
 * each field 5 is one measurement), any other field stepped over by its wire type. Where this
 * reader stops (a group, a field running past the end: shapes our agents never send) every 2 bytes
 * left count as one more measurement, the least one takes (tag and length).
 */
export function countMeasurements(payload: Uint8Array): number {
  const cursor = new WireCursor(payload, payload.byteLength);
  let count = 0;
  while (cursor.pos < cursor.end) {
    const fieldAt = cursor.pos;
    const tag = readUint32(cursor);
    if (tag < 0) return count + unreadableMeasurements(cursor, fieldAt);
    const field = tag >>> 3;
    const wireType = tag & 7;
    let readable: boolean;
    if (field === 1 || field === 2 || field === 5) {
      const length = readLength(cursor);
      readable = length >= 0;
      if (readable) cursor.pos += length;
      if (readable && field === 5) count++;
    } else if (field === 3 || field === 4 || wireType === 0) {
      readable = skipVarint(cursor);
    } else if (wireType === 1 || wireType === 5) {
      cursor.pos += wireType === 1 ? 8 : 4;
      readable = cursor.pos <= cursor.end;
    } else if (wireType === 2) {
      const length = readLength(cursor);
      readable = length >= 0;
      if (readable) cursor.pos += length;
    } else {
      readable = false; // groups (3, 4) are not in this schema; 6 and 7 are not wire types
    }
    if (!readable) return count + unreadableMeasurements(cursor, fieldAt);
  }
  return count;
}

/**
 * A varint as protobufjs's Reader.uint32 reads tags and lengths: its low 32 bits, from at most 5
 * bytes. -1 past the end, and for a longer varint, which that reader takes by skipping 5 more bytes
 * unread: a form no encoder writes, left to the caller's "unreadable".
 */
function readUint32(cursor: WireCursor): number {
  let value = 0;
  for (let i = 0; i < 5; i++) {
    if (cursor.pos >= cursor.end) return -1;
    const byte = cursor.bytes[cursor.pos++] as number;
    value = (value | ((byte & (i === 4 ? 15 : 127)) << (7 * i))) >>> 0;
    if (byte < 0x80) return value;
  }
  return -1;
}

/** A length (readUint32) whose bytes lie inside the payload, or -1 (protobufjs throws then). */
function readLength(cursor: WireCursor): number {
  const length = readUint32(cursor);
  return length >= 0 && cursor.pos + length <= cursor.end ? length : -1;
}

/** Steps over a varint of up to 10 bytes (an int64 or a negative int32 takes 10: protobuf decoders accept it, so the count must too). */
function skipVarint(cursor: WireCursor): boolean {
  for (let i = 0; i < 10 && cursor.pos < cursor.end; i++) if ((cursor.bytes[cursor.pos++] as number) < 0x80) return true;
  return false;
}
