// Keeps one of `npm start`'s services running: a service that fails while the platform runs is
// started again, as systemd's Restart=on-failure would, instead of the whole platform stopping
// with it. A clean exit (code 0: it was asked to stop, e.g. by Ctrl-C, which reaches every process
// of the group) is not a failure and starts nothing. Any process may die at any moment (a crash, the OOM killer, an operator's kill -9), and
// the others are built to ride it out: agents keep readings in their outboxes, the broker keeps
// them in its journal, the web server answers 503 while the read service is away. So a read
// service that died must not take ingest down with it.
//
// Restarts back off (baseMs, doubling to capMs) and the backoff starts over once an instance has
// stayed up for stableAfterMs. A service that keeps failing (maxFailures exits or failed starts in
// a row, none of them stable) is given up on: onGiveUp says why, and the caller decides.
import type { SpawnedService } from './spawn-service.js';

export interface SuperviseOptions {
  /** Starts a new instance; resolves once it is ready (spawnService). */
  readonly restart: () => Promise<SpawnedService>;
  /** Told of each exit; `restartInMs` is undefined for a clean exit (code 0), which is not restarted. */
  readonly onExit: (exit: { readonly code: number | null; readonly signal: string | null; readonly restartInMs: number | undefined }) => void;
  /** While true, nothing is started again (the caller is stopping everything). */
  readonly halted?: () => boolean;
  readonly onRestarted: (service: SpawnedService) => void;
  readonly onGiveUp: (reason: string) => void;
  readonly backoff?: { readonly baseMs: number; readonly capMs: number };
  readonly maxFailures?: number;
  readonly stableAfterMs?: number;
  readonly now?: () => number;
}

export interface SupervisedService {
  readonly name: string;
  /** The instance running now (or the last one, while a restart is pending). */
  current(): SpawnedService;
  /** Stops the instance and restarts no more. */
  stop(): Promise<void>;
}

export const DEFAULT_SUPERVISION = { backoff: { baseMs: 1_000, capMs: 30_000 }, maxFailures: 5, stableAfterMs: 60_000 } as const;

export function superviseService(first: SpawnedService, options: SuperviseOptions): SupervisedService {
  const backoff = options.backoff ?? DEFAULT_SUPERVISION.backoff;
  const maxFailures = options.maxFailures ?? DEFAULT_SUPERVISION.maxFailures;
  const stableAfterMs = options.stableAfterMs ?? DEFAULT_SUPERVISION.stableAfterMs;
  const now = options.now ?? Date.now;
  let current = first;
  let stopped = false;
  let failures = 0;
  let pending: NodeJS.Timeout | undefined;
  /** The wait before the next start, after `count` failures in a row (1, 2, 4… × baseMs, at most capMs). */
  const backoffAfter = (count: number): number => Math.min(backoff.capMs, backoff.baseMs * 2 ** (count - 1));

  const watch = (instance: SpawnedService, readyAtMs: number): void => {
    instance.child.once('exit', (code, signal) => {
      if (stopped || options.halted?.() === true) return;
      if (code === 0) {
        options.onExit({ code, signal, restartInMs: undefined });
        return;
      }
      failures = now() - readyAtMs >= stableAfterMs ? 1 : failures + 1;
      if (failures > maxFailures) {
        options.onGiveUp(`exited ${failures} times in a row, each within ${stableAfterMs} ms of starting (last: code ${code}, signal ${signal})`);
        return;
      }
      const restartInMs = backoffAfter(failures);
      options.onExit({ code, signal, restartInMs });
      schedule(restartInMs);
    });
  };
  const schedule = (delayMs: number): void => {
    pending = setTimeout(() => {
      pending = undefined;
      if (stopped || options.halted?.() === true) return;
      options.restart().then(
        (instance) => {
          if (stopped) {
            void instance.stop();
            return;
          }
          current = instance;
          watch(instance, now());
          options.onRestarted(instance);
        },
        (err: unknown) => {
          if (stopped) return;
          failures += 1;
          if (failures > maxFailures) {
            options.onGiveUp(`could not be started again ${failures} times in a row: ${err instanceof Error ? err.message : String(err)}`);
            return;
          }
          schedule(backoffAfter(failures));
        },
      );
    }, delayMs);
  };
  watch(first, now());

  return {
    name: first.name,
    current: () => current,
    async stop() {
      stopped = true;
      clearTimeout(pending);
      await current.stop();
    },
  };
}
