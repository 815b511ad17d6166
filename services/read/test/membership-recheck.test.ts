import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { MembershipDirectory } from '../../../lib/auth/directory.js';
import { createMembershipRecheck, type MembershipRecheck } from '../live/membership-recheck.js';

const INTERVAL_MS = 10_000;

/** Memberships the test changes by hand; counts lookups; fails while `down`. */
class FakeDirectory implements MembershipDirectory {
  readonly households = new Map<string, string[]>();
  lookups = 0;
  down = false;

  householdsOf(subject: string): Promise<readonly string[]> {
    this.lookups += 1;
    if (this.down) return Promise.reject(new Error('connect ECONNREFUSED'));
    return Promise.resolve(this.households.get(subject) ?? []);
  }
}

let directory: FakeDirectory;
let log: { warn: ReturnType<typeof vi.fn>; info: ReturnType<typeof vi.fn> };
let recheck: MembershipRecheck;
let random: number;

function watchStream(subject: string, householdId: string): { ended: () => boolean; release: () => void } {
  let ended = 0;
  const release = recheck.watch({ subject, householdId, end: () => (ended += 1) });
  return { ended: () => ended > 0, release };
}

beforeEach(() => {
  vi.useFakeTimers();
  directory = new FakeDirectory();
  directory.households.set('alice', ['h-1', 'h-2']);
  log = { warn: vi.fn(), info: vi.fn() };
  random = 0.5;
  recheck = createMembershipRecheck({ memberships: directory, intervalMs: INTERVAL_MS, log, random: () => random });
});

afterEach(() => {
  vi.useRealTimers();
});

describe('membership recheck of live streams', () => {
  it('when the viewer stays a member, then the stream is never ended', async () => {
    const stream = watchStream('alice', 'h-1');
    await vi.advanceTimersByTimeAsync(10 * INTERVAL_MS);
    expect(stream.ended()).toBe(false);
    expect(directory.lookups).toBeGreaterThanOrEqual(10);
  });

  it('when the membership ends, then the stream is ended within one interval, once', async () => {
    const stream = watchStream('alice', 'h-1');
    await vi.advanceTimersByTimeAsync(2 * INTERVAL_MS);
    directory.households.set('alice', ['h-2']);
    await vi.advanceTimersByTimeAsync(INTERVAL_MS);
    expect(stream.ended()).toBe(true);
    expect(recheck.subjects()).toBe(0);
  });

  it('when the random jitter is at its extremes, then no wait is longer than the interval', async () => {
    random = 0;
    const stream = watchStream('alice', 'h-1');
    directory.households.set('alice', []);
    await vi.advanceTimersByTimeAsync(INTERVAL_MS);
    expect(stream.ended()).toBe(true);
    random = 0.999_999;
    const quick = watchStream('alice', 'h-2');
    await vi.advanceTimersByTimeAsync(1);
    expect(quick.ended()).toBe(true);
  });

  it("when one of a viewer's households is left, then only that household's stream ends", async () => {
    const left = watchStream('alice', 'h-1');
    const kept = watchStream('alice', 'h-2');
    directory.households.set('alice', ['h-2']);
    await vi.advanceTimersByTimeAsync(3 * INTERVAL_MS);
    expect(left.ended()).toBe(true);
    expect(kept.ended()).toBe(false);
  });

  it('when a viewer has many streams open, then each check is one lookup for all of them', async () => {
    for (let i = 0; i < 50; i += 1) watchStream('alice', i % 2 === 0 ? 'h-1' : 'h-2');
    directory.households.set('bob', ['h-1']);
    watchStream('bob', 'h-1');
    await vi.advanceTimersByTimeAsync(10 * INTERVAL_MS);
    // Two subjects, waits between 0.8 and 1 interval: at most 13 lookups each over 10 intervals.
    expect(directory.lookups).toBeLessThanOrEqual(2 * 13);
    expect(recheck.subjects()).toBe(2);
  });

  it('when every stream of a viewer is released, then its lookups stop', async () => {
    const a = watchStream('alice', 'h-1');
    const b = watchStream('alice', 'h-2');
    a.release();
    b.release();
    await vi.advanceTimersByTimeAsync(5 * INTERVAL_MS);
    expect(directory.lookups).toBe(0);
    expect(recheck.subjects()).toBe(0);
  });

  it('when the lookup fails, then streams stay open, it is logged once per run of failures, and the next working lookup decides', async () => {
    const stream = watchStream('alice', 'h-1');
    directory.households.set('bob', ['h-1']);
    const kept = watchStream('bob', 'h-1');
    directory.down = true;
    directory.households.set('alice', []);
    await vi.advanceTimersByTimeAsync(5 * INTERVAL_MS);
    expect(stream.ended()).toBe(false);
    expect(directory.lookups).toBeGreaterThanOrEqual(10);
    expect(log.warn).toHaveBeenCalledTimes(1);
    directory.down = false;
    await vi.advanceTimersByTimeAsync(INTERVAL_MS);
    expect(stream.ended()).toBe(true);
    expect(log.info).toHaveBeenCalledTimes(1);
    directory.down = true;
    await vi.advanceTimersByTimeAsync(3 * INTERVAL_MS);
    expect(log.warn).toHaveBeenCalledTimes(2);
    expect(kept.ended()).toBe(false);
  });

  it('when a stream opens while a lookup asked before it is under way, then that older answer does not end it', async () => {
    let release: ((households: string[]) => void) | undefined;
    const slow: MembershipDirectory = { householdsOf: () => new Promise((resolve) => (release = resolve)) };
    recheck = createMembershipRecheck({ memberships: slow, intervalMs: INTERVAL_MS, log, random: () => random });
    watchStream('alice', 'h-1');
    await vi.advanceTimersByTimeAsync(INTERVAL_MS); // the first lookup is asked: alice is in h-1 only …
    expect(release).toBeDefined();
    const opened = watchStream('alice', 'h-3'); // … then she joined h-3, and its stream was authorised
    release?.(['h-1']);
    await vi.advanceTimersByTimeAsync(0);
    expect(opened.ended()).toBe(false);
    await vi.advanceTimersByTimeAsync(INTERVAL_MS); // asked after the stream opened: that answer decides
    release?.(['h-1']);
    await vi.advanceTimersByTimeAsync(0);
    expect(opened.ended()).toBe(true);
  });
});
