// A dead letter as it is kept in LMDB (msgpack), and the one conversion each way. The store keeps
// a bounded prefix of the refused bytes: enough to see what a sender got wrong (a header, the start
// of a line), never the whole of a hostile 200 KB publish.
import type { DeadLetter, DeadLetterInput } from './dead-letter-store.js';

/** A detail is a sentence or an InfluxDB error message; longer than this is noise. */
export const MAX_DETAIL_CHARS = 2048;

export interface StoredLetter {
  readonly source: DeadLetterInput['source'];
  readonly reason: string;
  readonly detail: string;
  readonly topic?: string;
  readonly clientId?: string;
  readonly correlationId?: string;
  readonly atMs: number;
  readonly payload: Buffer;
  /** The refused input's size before it was cut to `payload`; absent in letters kept before the cut existed. */
  readonly payloadBytes?: number;
}

export function toStoredLetter(letter: DeadLetterInput, atMs: number, maxPayloadBytes: number): StoredLetter {
  const { payload, detail, ...rest } = letter;
  // Buffer.from copies: the caller's buffer (a socket's) may be reused once record() returns.
  const kept = Buffer.from(payload.subarray(0, maxPayloadBytes));
  const stored: StoredLetter = {
    ...withoutUndefined(rest),
    detail: detail.length > MAX_DETAIL_CHARS ? `${detail.slice(0, MAX_DETAIL_CHARS)}…` : detail,
    atMs,
    payload: kept,
    payloadBytes: payload.byteLength,
  };
  return stored;
}

export function fromStoredLetter(id: number, stored: StoredLetter): DeadLetter {
  const payload = new Uint8Array(stored.payload);
  const payloadBytes = stored.payloadBytes ?? payload.byteLength;
  return { ...stored, id, payload, payloadBytes, payloadTruncated: payloadBytes > payload.byteLength };
}

/** About how many bytes a letter takes in the store before LMDB's page rounding: its fields and msgpack framing. */
export function estimateStoredBytes(letter: StoredLetter): number {
  const text = letter.reason.length + letter.detail.length + (letter.topic?.length ?? 0) + (letter.clientId?.length ?? 0) + (letter.correlationId?.length ?? 0);
  // Text is counted as UTF-16 units times 1; multi-byte characters are rare in these fields.
  return letter.payload.byteLength + text + 64;
}

// msgpack would store `topic: undefined` as nil; leaving the key out keeps optional fields optional.
function withoutUndefined<T extends object>(value: T): T {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as T;
}
