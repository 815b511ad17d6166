import { createHmac } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { signBody, verifySignature } from '../webhook/signature.js';

describe('webhook signature', () => {
  const body = JSON.stringify({ eventId: 'e', householdId: 'h-1', state: 'firing' });

  it('when a body is signed, then the header is sha256= and the hex HMAC of the exact bytes', () => {
    const expected = createHmac('sha256', 'secret-0123456789').update(body).digest('hex');
    expect(signBody('secret-0123456789', body)).toBe(`sha256=${expected}`);
  });

  it('when the body, the secret or the header differ, then verification fails', () => {
    const header = signBody('secret-0123456789', body);
    expect(verifySignature('secret-0123456789', body, header)).toBe(true);
    expect(verifySignature('secret-0123456789', `${body} `, header)).toBe(false);
    expect(verifySignature('another-secret-xyz', body, header)).toBe(false);
    expect(verifySignature('secret-0123456789', body, undefined)).toBe(false);
    expect(verifySignature('secret-0123456789', body, 'sha256=00')).toBe(false);
  });
});
