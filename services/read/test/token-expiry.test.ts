import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { MAX_TIMER_MS } from '../../../lib/config/load-config.js';
import { endAtExpiry } from '../live/token-expiry.js';

let ends: number;
const end = (): void => {
  ends += 1;
};

beforeEach(() => {
  vi.useFakeTimers({ now: 1_700_000_000_000 });
  ends = 0;
});

afterEach(() => {
  vi.useRealTimers();
});

describe('ending a stream when its token expires', () => {
  it('when the token expires, then the stream is ended then and not before', () => {
    endAtExpiry(Date.now() / 1000 + 2, end);
    vi.advanceTimersByTime(1_999);
    expect(ends).toBe(0);
    vi.advanceTimersByTime(1);
    expect(ends).toBe(1);
  });

  it('when the stream closed before, then cancelling keeps it from being ended', () => {
    const cancel = endAtExpiry(Date.now() / 1000 + 2, end);
    cancel();
    vi.advanceTimersByTime(10_000);
    expect(ends).toBe(0);
  });

  it('when the token is valid for longer than a timer can wait, then the stream still ends at its expiry', () => {
    const lifetimeMs = 2 * MAX_TIMER_MS + 5_000;
    endAtExpiry((Date.now() + lifetimeMs) / 1000, end);
    vi.advanceTimersByTime(lifetimeMs - 1);
    expect(ends).toBe(0);
    vi.advanceTimersByTime(1);
    expect(ends).toBe(1);
  });

  it('when the token has already expired, then the stream is ended at once', () => {
    endAtExpiry(Date.now() / 1000 - 1, end);
    expect(ends).toBe(1);
  });
});
