// The shared flush guard (flush-guard.ts): after one append's flush times out, no append is
// confirmed by the handle again, not even one under way whose own flush answers in time. The
// journal commits its groups one at a time; a fleet's agents share one outbox and seal at once.
import { afterEach, describe, expect, it, vi } from 'vitest';
import { createFlushGuard } from '../flush-guard.js';
import { FlushTimeoutError } from '../flush-time-limit.js';

describe('flush guard', () => {
  afterEach(() => vi.useRealTimers());

  it('when another append flush times out while one is under way, then that one is refused though its own flush answers in time (it proves nothing about the pages they share)', async () => {
    vi.useFakeTimers();
    const overdue: string[] = [];
    const guard = createFlushGuard<{ agentId: string; seq: number }>({
      timeoutMs: 100,
      store: 'outbox',
      onAppendOverdue: ({ agentId, seq }) => overdue.push(`${agentId}/${seq}`),
      closeNote: 'every container sealed had its flush confirmed first',
    });
    const first = guard.appendDurable(new Promise<never>(() => undefined), { agentId: 'a-1', seq: 7 });
    const firstSettled = first.catch((err: unknown) => err);
    await vi.advanceTimersByTimeAsync(50);
    let answer = (): void => undefined;
    const second = guard.appendDurable(new Promise<void>((resolve) => (answer = resolve)), { agentId: 'a-2', seq: 3 });
    const secondSettled = second.catch((err: unknown) => err);
    await vi.advanceTimersByTimeAsync(50);
    expect(await firstSettled).toBeInstanceOf(FlushTimeoutError);
    answer();
    expect(await secondSettled).toBe(await firstSettled);
    expect(overdue).toEqual(['a-1/7']);
  });
});
