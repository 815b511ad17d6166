// A disk that does not confirm flushes, for the journal's and the outbox's flush time limits: the
// `flushed` source they wait on (instead of lmdb-js's), stalled from the start until `answer()`.
// Everything else about them is real (LMDB in a temp folder).

export interface StalledDisk {
  /** What the store waits on after each commit. */
  readonly flushed: () => Promise<void>;
  /** Resolves at the next flush asked for (lmdb-js flushes a commit after committing it). */
  asked(): Promise<void>;
  /** Flushes from now on wait until `answer()`. */
  stall(): void;
  /** Confirms the flushes waiting, and those to come. */
  answer(): void;
}

export function stalledDisk(): StalledDisk {
  let answers: (() => void)[] = [];
  let stalled = true;
  let onAsked = (): void => undefined;
  return {
    flushed: () => {
      onAsked();
      return stalled ? new Promise<void>((resolve) => answers.push(resolve)) : Promise.resolve();
    },
    asked: () => new Promise<void>((resolve) => (onAsked = resolve)),
    stall() {
      stalled = true;
    },
    answer() {
      stalled = false;
      answers.forEach((resolve) => resolve());
      answers = [];
    },
  };
}
