// Persists the engine's transitions in order, one at a time. PostgreSQL being down does not lose
// them: the queue waits and retries (the engine already counts the alert as open, so nothing fires
// twice); a restart before they are written re-derives them from the readings.
import type { Logger } from '../../lib/log.js';
import type { AlertsRepository } from './data/alerts-repository.js';
import { StoreUnavailableError } from './data/store-errors.js';
import type { Transition } from './domain/rules.js';

export interface TransitionSink {
  push(transitions: readonly Transition[]): void;
  /** Resolves when everything pushed so far is written (tests, shutdown), or after `timeoutMs`. */
  drained(timeoutMs?: number): Promise<void>;
  pending(): number;
  stop(): void;
}

export interface TransitionSinkOptions {
  readonly alerts: AlertsRepository;
  readonly log: Logger;
  readonly retryMs: number;
  /** Called after a transition changed the database (metrics, waking the outbox worker). */
  readonly recorded: (transition: Transition) => void;
}

export function createTransitionSink(o: TransitionSinkOptions): TransitionSink {
  const queue: Transition[] = [];
  let working: Promise<void> | undefined;
  let stopped = false;
  const waiters: (() => void)[] = [];

  const work = async (): Promise<void> => {
    while (queue.length > 0 && !stopped) {
      const next = queue[0] as Transition;
      try {
        if (await o.alerts.record(next)) o.recorded(next);
        queue.shift();
      } catch (err) {
        if (!(err instanceof StoreUnavailableError)) {
          o.log.error({ err, transition: next }, 'alert transition could not be recorded; dropped');
          queue.shift();
          continue;
        }
        o.log.warn({ err: err.message, pending: queue.length }, 'PostgreSQL unavailable; alert transitions wait');
        await new Promise((resolve) => setTimeout(resolve, o.retryMs).unref());
      }
    }
  };

  const run = (): void => {
    if (working !== undefined || stopped) return;
    working = work().finally(() => {
      working = undefined;
      if (queue.length > 0 && !stopped) run();
      else for (const wake of waiters.splice(0)) wake();
    });
  };

  return {
    push(transitions) {
      if (transitions.length === 0) return;
      queue.push(...transitions);
      run();
    },
    drained: (timeoutMs = Infinity) =>
      queue.length === 0 && working === undefined
        ? Promise.resolve()
        : new Promise<void>((resolve) => {
            waiters.push(resolve);
            if (Number.isFinite(timeoutMs)) setTimeout(resolve, timeoutMs).unref();
          }),
    pending: () => queue.length,
    stop() {
      stopped = true;
      for (const wake of waiters.splice(0)) wake();
    },
  };
}
