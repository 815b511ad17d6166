import { describe, expect, it } from 'vitest';
import { createAuthFailureThrottle, type AuthFailureThrottleSettings } from '../auth-failure-throttle.js';

const WINDOW_MS = 60_000;

function setup(settings: Partial<AuthFailureThrottleSettings> = {}) {
  const throttle = createAuthFailureThrottle({ maxFailuresPerAddress: 3, windowMs: WINDOW_MS, ...settings });
  /** `times` refused CONNECTs from `address` at `nowMs`; whether the last one started the throttling. */
  const fail = (address: string, times: number, nowMs = 0): boolean => {
    let started = false;
    for (let i = 0; i < times; i++) started = throttle.countFailure(address, nowMs);
    return started;
  };
  return { throttle, fail };
}

describe('auth failure throttle', () => {
  it('when an address reaches the limit of failures, then from that failure on it is throttled, and only that failure says so', () => {
    const { throttle, fail } = setup();
    expect(fail('203.0.113.9', 2)).toBe(false);
    expect(throttle.isThrottled('203.0.113.9', 0)).toBe(false);
    expect(throttle.countFailure('203.0.113.9', 10)).toBe(true);
    expect(throttle.isThrottled('203.0.113.9', 10)).toBe(true);
    // Attempts that were already being checked when it started end later: counted, not announced again.
    expect(throttle.countFailure('203.0.113.9', 20)).toBe(false);
  });

  it('when a window passes after the limit was reached, then the address is free and its count starts again', () => {
    const { throttle, fail } = setup();
    fail('203.0.113.9', 3, 1_000);
    expect(throttle.isThrottled('203.0.113.9', 1_000 + WINDOW_MS - 1)).toBe(true);
    expect(throttle.isThrottled('203.0.113.9', 1_000 + WINDOW_MS)).toBe(false);
    expect(fail('203.0.113.9', 2, 1_000 + WINDOW_MS)).toBe(false);
    expect(throttle.isThrottled('203.0.113.9', 1_000 + WINDOW_MS)).toBe(false);
  });

  it('when failures are spread over more than a window, then the count starts again at the first failure after it', () => {
    const { throttle, fail } = setup();
    fail('203.0.113.9', 2, 0);
    expect(fail('203.0.113.9', 1, WINDOW_MS)).toBe(false);
    expect(throttle.isThrottled('203.0.113.9', WINDOW_MS)).toBe(false);
    expect(fail('203.0.113.9', 2, WINDOW_MS + 1)).toBe(true);
  });

  it('when one address is throttled, then another is not', () => {
    const { throttle, fail } = setup();
    fail('203.0.113.9', 3);
    expect(throttle.isThrottled('203.0.113.10', 0)).toBe(false);
  });

  it('when failures come from different addresses of one IPv6 /64, then they count together, and another /64 is not throttled', () => {
    const { throttle } = setup();
    throttle.countFailure('2001:db8:1:2::a', 0);
    throttle.countFailure('2001:db8:1:2:aaaa:bbbb:cccc:dddd', 0);
    throttle.countFailure('2001:DB8:1:2::ffff', 0);
    expect(throttle.isThrottled('2001:db8:1:2::1', 0)).toBe(true);
    expect(throttle.isThrottled('2001:db8:1:3::a', 0)).toBe(false);
  });

  it('when an IPv4 client arrives on a dual-stack socket as an IPv4-mapped IPv6 address, then it counts as its IPv4 address', () => {
    const { throttle } = setup();
    throttle.countFailure('::ffff:203.0.113.9', 0);
    throttle.countFailure('203.0.113.9', 0);
    throttle.countFailure('::ffff:203.0.113.9', 0);
    expect(throttle.isThrottled('203.0.113.9', 0)).toBe(true);
    expect(throttle.isThrottled('::ffff:203.0.113.10', 0)).toBe(false);
  });

  it('when more addresses fail than are tracked, then the longest-tracked is forgotten', () => {
    const { throttle, fail } = setup({ maxTrackedAddresses: 3 });
    fail('198.51.100.1', 3, 0);
    fail('198.51.100.2', 1, 1);
    fail('198.51.100.3', 1, 2);
    expect(throttle.trackedAddresses()).toBe(3);
    fail('198.51.100.4', 1, 3);
    expect(throttle.trackedAddresses()).toBe(3);
    expect(throttle.isThrottled('198.51.100.1', 3)).toBe(false);
  });

  it('when windows pass, then the addresses they tracked are swept', () => {
    const { throttle, fail } = setup();
    fail('198.51.100.1', 3, 0);
    fail('198.51.100.2', 1, 10);
    expect(throttle.trackedAddresses()).toBe(2);
    fail('198.51.100.3', 1, WINDOW_MS + 10);
    expect(throttle.trackedAddresses()).toBe(1);
  });

  it('when the limit is 0, then nothing is throttled or tracked', () => {
    const { throttle, fail } = setup({ maxFailuresPerAddress: 0 });
    expect(fail('203.0.113.9', 1000)).toBe(false);
    expect(throttle.isThrottled('203.0.113.9', 0)).toBe(false);
    expect(throttle.trackedAddresses()).toBe(0);
  });
});
