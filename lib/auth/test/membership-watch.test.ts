// The per-subject membership polling the broker and the read service share (membership-watch.ts),
// with fake timers, an injected random and a directory whose answers the test releases by hand.
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { MembershipDirectory } from '../directory.js';
import { createMembershipWatch, type MembershipWatch } from '../membership-watch.js';

const INTERVAL_MS = 10_000;

/** Answers at once from `households`, fails while `down`, or holds each answer while `held`. */
class FakeDirectory implements MembershipDirectory {
  readonly households = new Map<string, string[]>();
  readonly asked: string[] = [];
  readonly pending: { subject: string; answer: (households: string[]) => void; fail: (err: Error) => void }[] = [];
  down = false;
  held = false;

  householdsOf(subject: string): Promise<readonly string[]> {
    this.asked.push(subject);
    if (this.down) return Promise.reject(new Error('connect ECONNREFUSED'));
    if (this.held) return new Promise((answer, fail) => this.pending.push({ subject, answer, fail }));
    return Promise.resolve([...(this.households.get(subject) ?? [])]);
  }
}

let directory: FakeDirectory;
let log: { warn: ReturnType<typeof vi.fn>; info: ReturnType<typeof vi.fn> };
let answers: [string, string[]][];
let random: number;
let react: (subject: string, households: ReadonlySet<string>, askedAt: number) => void;
let watch: MembershipWatch;

beforeEach(() => {
  vi.useFakeTimers();
  directory = new FakeDirectory();
  directory.households.set('ann', ['h-1']);
  directory.households.set('bob', ['h-2']);
  log = { warn: vi.fn(), info: vi.fn() };
  answers = [];
  random = 0;
  react = (subject, households) => answers.push([subject, [...households]]);
  watch = createMembershipWatch({
    memberships: directory,
    intervalMs: INTERVAL_MS,
    onHouseholds: (subject, households, askedAt) => react(subject, households, askedAt),
    log,
    messages: { failing: 'memberships unreadable', working: 'memberships readable again' },
    random: () => random,
  });
});

afterEach(() => {
  watch.stop();
  vi.useRealTimers();
});

describe('membership watch', () => {
  it('when a subject is watched, then its first poll comes at a random point of the interval and later ones at most one interval apart', async () => {
    random = 0.75; // first wait: a quarter of the interval
    watch.watch('ann');
    random = 0.5; // the next: a tenth shorter than the interval (drawn when the first poll settles)
    await vi.advanceTimersByTimeAsync(INTERVAL_MS * 0.25 - 1);
    expect(directory.asked).toEqual([]);
    await vi.advanceTimersByTimeAsync(1);
    expect(answers).toEqual([['ann', ['h-1']]]);
    random = 0; // the longest wait: the interval, never more
    await vi.advanceTimersByTimeAsync(INTERVAL_MS * 0.9 - 1);
    expect(directory.asked).toHaveLength(1);
    await vi.advanceTimersByTimeAsync(1);
    expect(directory.asked).toHaveLength(2);
    await vi.advanceTimersByTimeAsync(INTERVAL_MS - 1);
    expect(directory.asked).toHaveLength(2);
    await vi.advanceTimersByTimeAsync(1);
    expect(directory.asked).toHaveLength(3);
  });

  it('when a subject is watched many times, then each poll is one lookup for all of them', async () => {
    for (let i = 0; i < 50; i += 1) watch.watch('ann');
    watch.watch('bob');
    await vi.advanceTimersByTimeAsync(10 * INTERVAL_MS);
    expect(directory.asked.filter((s) => s === 'ann')).toHaveLength(10);
    expect(directory.asked.filter((s) => s === 'bob')).toHaveLength(10);
    expect(watch.subjects()).toBe(2);
  });

  it('when a lookup is slow, then no second poll of that subject starts before it settles, and the next comes one interval after', async () => {
    watch.watch('ann');
    directory.held = true;
    await vi.advanceTimersByTimeAsync(INTERVAL_MS);
    await vi.advanceTimersByTimeAsync(5 * INTERVAL_MS);
    const joined = watch.pollAll(); // joins the poll under way instead of asking again
    expect(directory.asked).toEqual(['ann']);
    directory.held = false;
    directory.pending[0]?.answer(['h-1']);
    await joined;
    expect(answers).toEqual([['ann', ['h-1']]]);
    await vi.advanceTimersByTimeAsync(INTERVAL_MS - 1);
    expect(directory.asked).toEqual(['ann']);
    await vi.advanceTimersByTimeAsync(1);
    expect(directory.asked).toEqual(['ann', 'ann']);
  });

  it('when an older question is answered after a newer one, then its answer is dropped', async () => {
    watch.watch('ann');
    directory.held = true;
    const polled = watch.pollAll(); // asked while ann was in h-1 only …
    const looked = watch.lookUp('ann'); // … then ann joined h-2
    const [older, newer] = directory.pending;
    newer?.answer(['h-1', 'h-2']);
    await looked;
    older?.answer(['h-1']);
    await polled;
    expect(answers).toEqual([['ann', ['h-1', 'h-2']]]);
  });

  it('when lookUp answers, then it resolves after the answer was applied and the next poll is one interval later', async () => {
    watch.watch('ann');
    await watch.lookUp('ann');
    expect(answers).toEqual([['ann', ['h-1']]]);
    await vi.advanceTimersByTimeAsync(INTERVAL_MS - 1);
    expect(directory.asked).toEqual(['ann']);
    await vi.advanceTimersByTimeAsync(1);
    expect(directory.asked).toEqual(['ann', 'ann']);
  });

  it('when lookUp fails, then it rejects and leaves the logging to its caller; a subject not watched is refused', async () => {
    watch.watch('ann');
    directory.down = true;
    await expect(watch.lookUp('ann')).rejects.toThrow(/ECONNREFUSED/);
    expect(log.warn).not.toHaveBeenCalled();
    await expect(watch.lookUp('carol')).rejects.toThrow(/not watched/);
  });

  it('when polls fail, then nothing is applied, it is logged once per run of failures, and the next working poll decides', async () => {
    watch.watch('ann');
    watch.watch('bob');
    directory.down = true;
    await vi.advanceTimersByTimeAsync(5 * INTERVAL_MS);
    expect(directory.asked.length).toBeGreaterThanOrEqual(10);
    expect(answers).toEqual([]);
    expect(log.warn).toHaveBeenCalledTimes(1);
    expect(log.warn).toHaveBeenCalledWith({ err: expect.any(Error) as Error }, 'memberships unreadable');
    directory.down = false;
    directory.households.set('ann', []);
    await vi.advanceTimersByTimeAsync(INTERVAL_MS);
    expect(answers).toContainEqual(['ann', []]);
    expect(log.info).toHaveBeenCalledTimes(1);
    directory.down = true;
    await vi.advanceTimersByTimeAsync(3 * INTERVAL_MS);
    expect(log.warn).toHaveBeenCalledTimes(2);
  });

  it('when the reaction to an answer throws, then it is logged and polling goes on', async () => {
    react = () => {
      throw new Error('socket gone');
    };
    watch.watch('ann');
    await vi.advanceTimersByTimeAsync(3 * INTERVAL_MS);
    expect(directory.asked).toHaveLength(3);
    expect(log.warn).toHaveBeenCalledWith({ err: expect.any(Error) as Error }, 'acting on a membership change failed');
  });

  it('when every watcher of a subject releases (twice, even), then its polls stop and an answer under way is dropped', async () => {
    const releases = [watch.watch('ann'), watch.watch('ann')];
    directory.held = true;
    const polled = watch.pollAll();
    releases[0]?.();
    releases[0]?.();
    expect(watch.subjects()).toBe(1);
    releases[1]?.();
    expect(watch.subjects()).toBe(0);
    directory.pending[0]?.answer([]);
    await polled;
    await vi.advanceTimersByTimeAsync(5 * INTERVAL_MS);
    expect(answers).toEqual([]);
    expect(directory.asked).toEqual(['ann']);
  });

  it('when stopped, then no poll runs any more, but lookUp still answers', async () => {
    watch.watch('ann');
    watch.stop();
    await vi.advanceTimersByTimeAsync(5 * INTERVAL_MS);
    expect(directory.asked).toEqual([]);
    await watch.lookUp('ann');
    await vi.advanceTimersByTimeAsync(5 * INTERVAL_MS);
    expect(directory.asked).toEqual(['ann']);
    expect(answers).toEqual([['ann', ['h-1']]]);
  });

  it('when the caller marks its own events, then each answer says whether its question came before or after them', async () => {
    const asked: number[] = [];
    react = (_subject, _households, askedAt) => asked.push(askedAt);
    directory.held = true;
    watch.watch('ann');
    const before = watch.mark();
    const polled = watch.pollAll(); // the question is asked now …
    const after = watch.mark(); // … and this grant comes after it, while the answer is still out
    directory.pending.shift()?.answer(['h-1']);
    await polled;
    expect(asked).toHaveLength(1);
    expect(before).toBeLessThan(asked[0] ?? -1);
    expect(after).toBeGreaterThan(asked[0] ?? Infinity);
  });
});
