import { describe, expect, it } from 'vitest';
import { createCachedVerifier } from '../cached-verifier.js';
import { TokenRejectedError, type AccessTokenVerifier, type Principal } from '../principal.js';

function fixture(expiresAtS: (token: string) => number) {
  let nowMs = 1_000_000_000;
  const asked: string[] = [];
  const inner: AccessTokenVerifier = {
    verify: (token) => {
      asked.push(token);
      if (token.startsWith('bad')) return Promise.reject(new TokenRejectedError('bad-signature', 'no'));
      return Promise.resolve({ subject: token, kind: 'user', roles: [], scopes: [], expiresAtS: expiresAtS(token) } satisfies Principal);
    },
  };
  return { asked, clock: { now: () => nowMs, advance: (ms: number) => (nowMs += ms) }, inner, nowS: () => nowMs / 1000 };
}

describe('cached token verifier', () => {
  it('when the same token comes again, then the signature is checked once and the same caller is returned', async () => {
    const f = fixture(() => 1_000_000 + 3600);
    const verifier = createCachedVerifier(f.inner, { clock: f.clock.now });
    const first = await verifier.verify('t1');
    expect(await verifier.verify('t1')).toBe(first);
    expect(await verifier.verify('t2')).toMatchObject({ subject: 't2' });
    expect(f.asked).toEqual(['t1', 't2']);
  });

  it('when the token expires, then it is verified again (and refused by the inner verifier if it says so)', async () => {
    const f = fixture(() => 1_000_000 + 10); // expires 10 s from now
    const verifier = createCachedVerifier(f.inner, { clock: f.clock.now });
    await verifier.verify('t');
    f.clock.advance(9_999);
    await verifier.verify('t');
    expect(f.asked).toHaveLength(1);
    f.clock.advance(1);
    await verifier.verify('t');
    expect(f.asked).toHaveLength(2);
  });

  it('when a token lives long, then its verdict is still kept for at most maxAgeMs', async () => {
    const f = fixture(() => 1_000_000 + 86_400);
    const verifier = createCachedVerifier(f.inner, { clock: f.clock.now, maxAgeMs: 60_000 });
    await verifier.verify('t');
    f.clock.advance(59_999);
    await verifier.verify('t');
    f.clock.advance(1);
    await verifier.verify('t');
    expect(f.asked).toEqual(['t', 't']);
  });

  it('when a token is refused, then the refusal is not remembered: each attempt is checked', async () => {
    const f = fixture(() => 1_000_000 + 3600);
    const verifier = createCachedVerifier(f.inner, { clock: f.clock.now });
    await expect(verifier.verify('bad')).rejects.toBeInstanceOf(TokenRejectedError);
    await expect(verifier.verify('bad')).rejects.toBeInstanceOf(TokenRejectedError);
    expect(f.asked).toEqual(['bad', 'bad']);
  });

  it('when a verified token has already expired (inside the clock tolerance), then it is not cached', async () => {
    const f = fixture(() => 1_000_000 - 5);
    const verifier = createCachedVerifier(f.inner, { clock: f.clock.now });
    await verifier.verify('late');
    await verifier.verify('late');
    expect(f.asked).toEqual(['late', 'late']);
  });

  it('when more tokens arrive than maxEntries, then the cache stays bounded and still answers correctly', async () => {
    const f = fixture(() => 1_000_000 + 3600);
    const verifier = createCachedVerifier(f.inner, { clock: f.clock.now, maxEntries: 3 });
    for (const t of ['a', 'b', 'c', 'd', 'e']) expect(await verifier.verify(t)).toMatchObject({ subject: t });
    expect(await verifier.verify('e')).toMatchObject({ subject: 'e' });
    expect(f.asked).toEqual(['a', 'b', 'c', 'd', 'e']);
  });
});
