import { describe, expect, it } from 'vitest';
import { decideThrottle, strictest } from '../domain/throttle-window.js';

const HOUR = 3_600_000;
const now = 10 * HOUR;

describe('decideThrottle', () => {
  it('when fewer failures than the limit are in the window, then not throttled', () => {
    expect(decideThrottle({ count: 99, oldestAtMs: now - 1000 }, 100, HOUR, now)).toEqual({ throttled: false });
  });

  it('when the limit is reached, then throttled until the oldest counted failure leaves the window', () => {
    expect(decideThrottle({ count: 100, oldestAtMs: now - HOUR + 90_000 }, 100, HOUR, now)).toEqual({ throttled: true, retryAfterS: 90 });
  });

  it('when the wait is a fraction of a second, then Retry-After rounds up to at least 1', () => {
    expect(decideThrottle({ count: 100, oldestAtMs: now - HOUR + 1 }, 100, HOUR, now)).toEqual({ throttled: true, retryAfterS: 1 });
    expect(decideThrottle({ count: 100, oldestAtMs: now - HOUR + 1500 }, 100, HOUR, now)).toEqual({ throttled: true, retryAfterS: 2 });
  });

  it('when the oldest counted failure is already out of the window, then not throttled', () => {
    expect(decideThrottle({ count: 100, oldestAtMs: now - HOUR }, 100, HOUR, now)).toEqual({ throttled: false });
  });

  it('when there are no failures, then not throttled', () => {
    expect(decideThrottle({ count: 0, oldestAtMs: undefined }, 1, HOUR, now)).toEqual({ throttled: false });
  });
});

describe('strictest', () => {
  it('when several limits decide, then the longest wait wins', () => {
    expect(strictest([{ throttled: false }, { throttled: true, retryAfterS: 5 }, { throttled: true, retryAfterS: 50 }])).toEqual({ throttled: true, retryAfterS: 50 });
    expect(strictest([{ throttled: false }, { throttled: false }])).toEqual({ throttled: false });
  });
});
