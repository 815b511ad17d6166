// Line-protocol text written as bytes, for the fast path from the wire format (wire-lines.ts):
// fixed parts, ASCII numbers and escaped tag values go straight into a slab (line-slabs.ts). They
// check no bounds: the caller makes room for the longest possible text first.
import { MAX_TAG_VALUE_BYTES, separatorAt } from './line-protocol.js';

export const NEWLINE = 0x0a;
const BACKSLASH = 0x5c;
const HASH = 0x23;

/** Line protocol escapes `,` `=` and space in tag values with a backslash (line-protocol.ts escapeKey). */
const NEEDS_ESCAPE = Uint8Array.from({ length: 128 }, (_, byte) => (byte === 0x2c || byte === 0x3d || byte === 0x20 ? 1 : 0));

export function writeBytes(out: Buffer, at: number, part: Buffer): number {
  out.set(part, at);
  return at + part.byteLength;
}

/** ASCII text (numbers) as bytes. */
export function writeText(out: Buffer, at: number, text: string): number {
  for (let i = 0; i < text.length; i++) out[at++] = text.charCodeAt(i);
  return at;
}

/**
 * A printable-ASCII tag value, escaped; -1 if a byte is not printable ASCII, or where
 * tagValueProblem (line-protocol.ts) might refuse the value: a trailing backslash, InfluxDB's
 * series/field separator, a length near the limit. The protobufjs path then gives the verdict.
 */
export function writeEscaped(out: Buffer, at: number, bytes: Uint8Array, start: number, length: number): number {
  const end = start + length;
  if (length * 2 > MAX_TAG_VALUE_BYTES || bytes[end - 1] === BACKSLASH) return -1;
  for (let i = start; i < end; i++) {
    const byte = bytes[i] as number;
    if (byte < 0x20 || byte > 0x7e || (byte === HASH && separatorAt(bytes, i, end))) return -1;
    if (NEEDS_ESCAPE[byte] === 1) out[at++] = BACKSLASH;
    out[at++] = byte;
  }
  return at;
}
