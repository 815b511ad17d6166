// Stops a foreground command whose parent went away. `npm start` runs us as npm → sh → node: a
// SIGTERM to npm (a supervisor, `kill <pid>`) is relayed to the sh only, which dies without
// passing it on, and the platform kept running, orphaned, with nobody left to stop it. Linux has
// PR_SET_PDEATHSIG for this, which Node does not expose; a changed parent pid says the same.
export interface OrphanWatchOptions {
  /** Called once, when the parent pid first differs from the one at start. */
  readonly onOrphaned: () => void;
  readonly checkEveryMs?: number;
  /** The parent pid now (tests); default process.ppid. */
  readonly parentPid?: () => number;
}

export function stopWhenOrphaned(options: OrphanWatchOptions): () => void {
  const parentPid = options.parentPid ?? (() => process.ppid);
  const parentAtStart = parentPid();
  const timer = setInterval(() => {
    if (parentPid() === parentAtStart) return;
    clearInterval(timer);
    options.onOrphaned();
  }, options.checkEveryMs ?? 1_000);
  timer.unref();
  return () => clearInterval(timer);
}
