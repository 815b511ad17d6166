// The clock port: wall time, monotonic time and one-shot timers. Everything in the agent that waits
// (sampling, sealing, reconnect backoff) goes through it, so unit tests drive time by hand instead
// of sleeping. Wall time stamps readings; intervals are measured on monotonic time, because the wall
// clock steps (NTP correcting a Pi without a real-time clock at boot): scheduled on wall time, a
// step back of ten minutes stopped sampling for ten minutes.
import { performance } from 'node:perf_hooks';

export type TimerHandle = { readonly __timer: unique symbol };

export interface Clock {
  /** Unix epoch milliseconds. */
  now(): number;
  /** Milliseconds from an arbitrary origin that never steps back; timers count on this time. */
  monotonicMs(): number;
  setTimeout(callback: () => void, delayMs: number): TimerHandle;
  clearTimeout(handle: TimerHandle): void;
}

export const systemClock: Clock = {
  now: () => Date.now(),
  monotonicMs: () => performance.now(),
  setTimeout: (callback, delayMs) => setTimeout(callback, delayMs) as unknown as TimerHandle,
  clearTimeout: (handle) => clearTimeout(handle as unknown as NodeJS.Timeout),
};
