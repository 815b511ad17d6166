// A hand-driven clock for unit tests: time moves only in advance(), and timers fire in due order.
// Timers count on monotonic time; stepWall() moves only the wall clock, as NTP does.
import type { Clock, TimerHandle } from '../clock.js';

interface PendingTimer {
  readonly id: number;
  readonly dueMs: number;
  readonly callback: () => void;
}

/** Lets promise chains and setImmediate work queued by a timer callback finish. */
export function settle(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}

export class ManualClock implements Clock {
  #nowMs: number;
  #wallOffsetMs = 0;
  #timers: PendingTimer[] = [];
  #nextId = 1;

  constructor(startMs: number) {
    this.#nowMs = startMs;
  }

  now(): number {
    return this.#nowMs + this.#wallOffsetMs;
  }

  monotonicMs(): number {
    return this.#nowMs;
  }

  /** Steps the wall clock by `ms` (negative: back) without any time passing. */
  stepWall(ms: number): void {
    this.#wallOffsetMs += ms;
  }

  setTimeout(callback: () => void, delayMs: number): TimerHandle {
    const id = this.#nextId++;
    this.#timers.push({ id, dueMs: this.#nowMs + Math.max(0, delayMs), callback });
    return id as unknown as TimerHandle;
  }

  clearTimeout(handle: TimerHandle): void {
    this.#timers = this.#timers.filter((t) => t.id !== (handle as unknown as number));
  }

  pendingTimers(): number {
    return this.#timers.length;
  }

  /** Moves time on without firing timers, as a slow operation would. */
  jump(ms: number): void {
    this.#nowMs += ms;
  }

  /** Moves time forward by `ms`, firing every timer that comes due, in order, settling after each. */
  async advance(ms: number): Promise<void> {
    const targetMs = this.#nowMs + ms;
    for (;;) {
      await settle();
      const next = this.#timers.filter((t) => t.dueMs <= targetMs).sort((a, b) => a.dueMs - b.dueMs || a.id - b.id)[0];
      if (next === undefined) break;
      this.#timers = this.#timers.filter((t) => t !== next);
      this.#nowMs = Math.max(this.#nowMs, next.dueMs);
      next.callback();
    }
    this.#nowMs = Math.max(this.#nowMs, targetMs);
    await settle();
  }
}
