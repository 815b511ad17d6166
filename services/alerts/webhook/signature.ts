// The webhook signature: HMAC-SHA256 over the exact body bytes with the household's secret, sent as
// `X-EM-Signature: sha256=<hex>` (the shape GitHub and Stripe receivers already know how to check).
import { createHmac, timingSafeEqual } from 'node:crypto';

export const SIGNATURE_HEADER = 'x-em-signature';
export const EVENT_ID_HEADER = 'x-em-event-id';

export function signBody(secret: string, body: string): string {
  return `sha256=${createHmac('sha256', secret).update(body, 'utf8').digest('hex')}`;
}

/** What a receiver does: recompute and compare in constant time. */
export function verifySignature(secret: string, body: string, header: string | undefined): boolean {
  if (header === undefined) return false;
  const expected = Buffer.from(signBody(secret, body));
  const given = Buffer.from(header);
  return expected.length === given.length && timingSafeEqual(expected, given);
}
