import { createHmac } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { signatureHeader, verifySignature } from '../webhook/signature.js';

const SECRET = 'secret-0123456789';
const T = Date.parse('2026-03-28T12:00:00.700Z');
const TS = Math.floor(T / 1000);

describe('webhook signature', () => {
  const body = JSON.stringify({ eventId: 'e', householdId: 'h-1', state: 'firing' });

  it('when a body is signed, then the header is t=<unix s>,v1=<hex HMAC of "t.body">', () => {
    const expected = createHmac('sha256', SECRET).update(`${TS}.${body}`).digest('hex');
    expect(signatureHeader(SECRET, body, T)).toBe(`t=${TS},v1=${expected}`);
  });

  it('when the body, the secret, the timestamp or the header differ, then verification fails', () => {
    const header = signatureHeader(SECRET, body, T);
    expect(verifySignature(SECRET, body, header, { nowMs: T })).toBe(true);
    expect(verifySignature(SECRET, `${body} `, header, { nowMs: T })).toBe(false);
    expect(verifySignature('another-secret-xyz', body, header, { nowMs: T })).toBe(false);
    expect(verifySignature(SECRET, body, undefined, { nowMs: T })).toBe(false);
    expect(verifySignature(SECRET, body, `t=${TS},v1=00`, { nowMs: T })).toBe(false);
    // The timestamp is signed: moving it (to pass the tolerance check) breaks the signature.
    expect(verifySignature(SECRET, body, header.replace(`t=${TS}`, `t=${TS + 60}`), { nowMs: T + 60_000 })).toBe(false);
    // The old scheme (HMAC of the body alone, no timestamp) is not accepted.
    const bodyOnly = createHmac('sha256', SECRET).update(body).digest('hex');
    expect(verifySignature(SECRET, body, `sha256=${bodyOnly}`, { nowMs: T })).toBe(false);
    expect(verifySignature(SECRET, body, `t=${TS},v1=${bodyOnly}`, { nowMs: T })).toBe(false);
    expect(verifySignature(SECRET, body, header.replace(/^t=\d+,/, ''), { nowMs: T })).toBe(false);
  });

  it('when a captured delivery is replayed after the tolerance (5 min by default), or comes from the future, then it is refused', () => {
    const header = signatureHeader(SECRET, body, T);
    expect(verifySignature(SECRET, body, header, { nowMs: T + 299_000 })).toBe(true);
    expect(verifySignature(SECRET, body, header, { nowMs: T + 301_000 })).toBe(false);
    expect(verifySignature(SECRET, body, header, { nowMs: T + 86_400_000 })).toBe(false);
    expect(verifySignature(SECRET, body, header, { nowMs: T - 299_000 })).toBe(true);
    expect(verifySignature(SECRET, body, header, { nowMs: T - 301_000 })).toBe(false);
    expect(verifySignature(SECRET, body, header, { nowMs: T + 30_000, toleranceMs: 10_000 })).toBe(false);
    expect(verifySignature(SECRET, body, header, { nowMs: T + 5_000, toleranceMs: 10_000 })).toBe(true);
    // Without nowMs the receiver's clock is used.
    expect(verifySignature(SECRET, body, header)).toBe(false);
    expect(verifySignature(SECRET, body, signatureHeader(SECRET, body, Date.now()))).toBe(true);
  });

  it('when the header carries several v1 signatures (a secret being rotated), then one matching is enough', () => {
    const header = signatureHeader(SECRET, body, T);
    const other = signatureHeader('another-secret-xyz', body, T).split(',')[1] ?? '';
    expect(verifySignature(SECRET, body, `${header}, ${other}`, { nowMs: T })).toBe(true);
    expect(verifySignature(SECRET, body, `t=${TS}, ${other}`, { nowMs: T })).toBe(false);
  });
});
