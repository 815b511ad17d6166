// Graceful stop on SIGTERM/SIGINT for a service's main.ts: run `stop` once, exit 0, or exit 1 when
// stopping failed. A second signal while stopping is ignored (the first stop is still running).
// A failure the process cannot recover from stops it the same way, then exits 1: its supervisor
// (npm start, systemd's Restart=on-failure) starts it again.
import type { Logger } from '../log.js';

export interface ProcessStop {
  /** Stops as a signal would, then exits 1 whatever stopping does. Once; ignored while stopping. */
  failed(reason: string): void;
}

export function stopOnSignal(log: Logger, what: string, stop: () => Promise<void>): ProcessStop {
  let stopping = false;
  const stopAndExit = (code: 0 | 1, fields: Record<string, unknown>, message: string): void => {
    if (stopping) return;
    stopping = true;
    log[code === 0 ? 'info' : 'error'](fields, message);
    stop().then(
      () => process.exit(code),
      (err: unknown) => {
        log.error({ err }, `error while stopping ${what}`);
        process.exit(1);
      },
    );
  };
  for (const signal of ['SIGTERM', 'SIGINT'] as const) {
    process.on(signal, () => stopAndExit(0, { signal }, `stopping ${what}`));
  }
  return { failed: (reason) => stopAndExit(1, { reason }, `stopping ${what} after a failure; exiting 1 to be started again`) };
}
