// The clock port: wall time plus one-shot timers. Everything in the agent that waits (sampling,
// sealing, reconnect backoff) goes through it, so unit tests drive time by hand instead of sleeping.

export type TimerHandle = { readonly __timer: unique symbol };

export interface Clock {
  /** Unix epoch milliseconds. */
  now(): number;
  setTimeout(callback: () => void, delayMs: number): TimerHandle;
  clearTimeout(handle: TimerHandle): void;
}

export const systemClock: Clock = {
  now: () => Date.now(),
  setTimeout: (callback, delayMs) => setTimeout(callback, delayMs) as unknown as TimerHandle,
  clearTimeout: (handle) => clearTimeout(handle as unknown as NodeJS.Timeout),
};
