// Ctrl-C (SIGINT) or SIGTERM during a long fault run. The first signal interrupts the run: the
// step under way is abandoned and the caller stops what it started, then exits 128 + the signal's
// number (130, 143), as a shell reports a process the signal killed. A later signal only prints
// "still stopping…": killing the run then would leave its detached InfluxDB and temp data behind.
import { constants } from 'node:os';

export class Interrupted extends Error {
  override readonly name = 'Interrupted';
  constructor(readonly signal: NodeJS.Signals) {
    super(`interrupted by ${signal}`);
  }
}

export interface Interrupts {
  /** The first signal received, if one was. */
  received(): NodeJS.Signals | undefined;
  /** `work`'s outcome, or an Interrupted rejection as soon as a signal arrives (at once if one did). */
  race<T>(work: Promise<T>): Promise<T>;
  /** 128 + the number of the signal received. */
  exitCode(): number;
}

export function watchInterrupts(print: (line: string) => void): Interrupts {
  let received: NodeJS.Signals | undefined;
  let interrupt: (error: Interrupted) => void = () => undefined;
  const interrupted = new Promise<never>((_, reject) => (interrupt = reject));
  interrupted.catch(() => undefined); // observed by race(), or by nobody when no work is under way
  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    // `on`, not `once`: a second signal must not get the default action (exit) mid-cleanup.
    process.on(signal, () => {
      if (received !== undefined) {
        print(`${signal} again: still stopping…`);
        return;
      }
      received = signal;
      interrupt(new Interrupted(signal));
    });
  }
  return {
    received: () => received,
    race: (work) => Promise.race([work, interrupted]),
    exitCode: () => 128 + (received === undefined ? 0 : constants.signals[received]),
  };
}
