// The memory the fast path (wire-lines.ts) writes containers' lines into, and the join of those
// lines into a batch body, in place where they lie side by side.
import { NEWLINE } from './line-byte-writers.js';

/**
 * Lines are written into slabs, one container after another with a newline between them, and
 * handed out as views: no copy per container, and a batch of consecutive containers is one view
 * (linesBody). A slab is never written over: when one is full a new one is taken, and the old one
 * lives as long as views of it do (the batches being assembled or in flight).
 */
export const SLAB_BYTES = 1024 * 1024;
/** Every slab's memory: only views of these are joined in place. */
const slabs = new WeakSet<ArrayBufferLike>();

export function newSlab(byteLength: number): Buffer {
  const made = Buffer.allocUnsafe(byteLength);
  slabs.add(made.buffer);
  return made;
}

/**
 * A batch body: the containers' lines joined by newlines. Consecutive containers written into one
 * slab are joined already, so the body is a view of it; anything else (a container from the
 * protobufjs path, a new slab) is copied together. Empty parts add no line.
 */
export function linesBody(parts: readonly Buffer[]): Buffer {
  const lines = parts.filter((part) => part.byteLength > 0);
  const first = lines[0];
  if (first === undefined) return Buffer.alloc(0);
  let end = first.byteOffset + first.byteLength;
  let inPlace = lines.length === 1 || slabs.has(first.buffer);
  for (let i = 1; inPlace && i < lines.length; i++) {
    const part = lines[i] as Buffer;
    inPlace = part.buffer === first.buffer && part.byteOffset === end + 1;
    end = part.byteOffset + part.byteLength;
  }
  if (inPlace) return Buffer.from(first.buffer, first.byteOffset, end - first.byteOffset);
  const body = Buffer.allocUnsafe(lines.reduce((size, part) => size + part.byteLength, lines.length - 1));
  let at = 0;
  for (const part of lines) {
    if (at > 0) body[at++] = NEWLINE;
    body.set(part, at);
    at += part.byteLength;
  }
  return body;
}
