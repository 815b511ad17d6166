// Graceful stop on SIGTERM/SIGINT for a service's main.ts: run `stop` once, exit 0, or exit 1 when
// stopping failed. A second signal while stopping is ignored (the first stop is still running).
import type { Logger } from '../log.js';

export function stopOnSignal(log: Logger, what: string, stop: () => Promise<void>): void {
  let stopping = false;
  for (const signal of ['SIGTERM', 'SIGINT'] as const) {
    process.on(signal, () => {
      if (stopping) return;
      stopping = true;
      log.info({ signal }, `stopping ${what}`);
      stop().then(
        () => process.exit(0),
        (err: unknown) => {
          log.error({ err }, `error while stopping ${what}`);
          process.exit(1);
        },
      );
    });
  }
}
