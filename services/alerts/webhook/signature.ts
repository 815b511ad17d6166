// The webhook signature, the scheme Stripe's receivers check: HMAC-SHA256 with the household's
// secret over `${timestamp}.${body}` (the timestamp in Unix seconds, the exact body bytes), sent as
// `X-EM-Signature: t=<timestamp>,v1=<hex>`. The timestamp is covered by the HMAC, so a receiver that
// refuses old ones makes a captured delivery worthless once the tolerance has passed; the event id
// (X-EM-Event-Id) is what it deduplicates retries on. Every attempt is signed when it is sent.
import { createHmac, timingSafeEqual } from 'node:crypto';

export const SIGNATURE_HEADER = 'x-em-signature';
export const EVENT_ID_HEADER = 'x-em-event-id';
/** How far a signature's timestamp may be from the receiver's clock, either way (Stripe's default). */
export const DEFAULT_TOLERANCE_MS = 300_000;

const hmacHex = (secret: string, timestampS: number, body: string): string =>
  createHmac('sha256', secret).update(`${timestampS}.${body}`, 'utf8').digest('hex');

/** The X-EM-Signature value for a body sent at `nowMs`. */
export function signatureHeader(secret: string, body: string, nowMs: number): string {
  const timestampS = Math.floor(nowMs / 1000);
  return `t=${timestampS},v1=${hmacHex(secret, timestampS, body)}`;
}

export interface VerifyOptions {
  /** Refuse timestamps further than this from `nowMs`, in the past or the future (default 5 min). */
  readonly toleranceMs?: number;
  /** The receiver's clock (default Date.now()). */
  readonly nowMs?: number;
}

/**
 * What a receiver does: parse `t=…,v1=…`, refuse a timestamp outside the tolerance, recompute the
 * HMAC over `${t}.${body}` and compare in constant time (any of several v1 values may match).
 */
export function verifySignature(secret: string, body: string, header: string | undefined, options: VerifyOptions = {}): boolean {
  if (header === undefined) return false;
  let timestampS: number | undefined;
  const given: string[] = [];
  for (const part of header.split(',')) {
    const at = part.indexOf('=');
    if (at < 0) continue;
    const key = part.slice(0, at).trim();
    const value = part.slice(at + 1).trim();
    if (key === 't' && /^\d{1,12}$/.test(value)) timestampS = Number(value);
    else if (key === 'v1' && /^[0-9a-f]{64}$/.test(value)) given.push(value);
  }
  if (timestampS === undefined || given.length === 0) return false;
  const nowMs = options.nowMs ?? Date.now();
  if (Math.abs(nowMs - timestampS * 1000) > (options.toleranceMs ?? DEFAULT_TOLERANCE_MS)) return false;
  const expected = Buffer.from(hmacHex(secret, timestampS, body), 'hex');
  return given.some((hex) => timingSafeEqual(expected, Buffer.from(hex, 'hex')));
}
