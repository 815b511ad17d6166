// Backpressure when the journal passes its high-water mark (the write service or InfluxDB cannot
// keep up for long): readings publishes are admitted only after the journal drains below the
// low-water mark. Holding back authorizePublish holds back the PUBACK, and Aedes reads a client's
// next packets only when its current ones are handled (lib/client.js nextBatch), as the readings
// fast path stops reading past its in-flight bound (readings-fast-path.ts), so the socket is no
// longer read and TCP flow control pushes back on the device, whose outbox keeps the data.
// Memory stays bounded: at most one batch of parsed packets, or the fast path's bound plus one
// read, per connection waits here.

export interface JournalDepthProbe {
  (): { readonly entries: number; readonly bytes: number };
}

export interface BackpressureOptions {
  readonly depth: JournalDepthProbe;
  /** Start holding PUBACKs at this many journal entries… */
  readonly highWaterEntries: number;
  /** …and release them once the journal is back under this many. */
  readonly lowWaterEntries: number;
  /** How often to read the journal's depth while holding (and to refresh the estimate otherwise). */
  readonly pollMs: number;
  readonly onChange?: (active: boolean, entries: number) => void;
}

export interface JournalBackpressure {
  /** undefined: go ahead now (the common case, no allocation); otherwise wait for the promise. */
  admit(): Promise<void> | undefined;
  /** Counts an append, so the estimate moves between depth reads. */
  noteAppended(): void;
  readonly active: boolean;
  /** Publishes waiting for the journal to drain. */
  readonly waiting: number;
  stop(): void;
}

export function createJournalBackpressure(options: BackpressureOptions): JournalBackpressure {
  if (options.lowWaterEntries >= options.highWaterEntries) {
    throw new Error(`low-water mark (${options.lowWaterEntries}) must be below the high-water mark (${options.highWaterEntries})`);
  }
  let polledEntries = options.depth().entries;
  let appendedSincePoll = 0;
  let active = false;
  let waiters: (() => void)[] = [];

  const setActive = (next: boolean): void => {
    if (next === active) return;
    active = next;
    options.onChange?.(active, polledEntries);
    if (!active) {
      const release = waiters;
      waiters = [];
      for (const resolve of release) resolve();
    }
  };
  const poll = (): void => {
    polledEntries = options.depth().entries;
    appendedSincePoll = 0;
    if (active && polledEntries < options.lowWaterEntries) setActive(false);
    else if (!active && polledEntries >= options.highWaterEntries) setActive(true);
  };
  const timer = setInterval(poll, options.pollMs);
  timer.unref();

  return {
    admit() {
      if (!active && polledEntries + appendedSincePoll >= options.highWaterEntries) poll();
      if (!active) return undefined;
      return new Promise<void>((resolve) => waiters.push(resolve));
    },
    noteAppended() {
      appendedSincePoll++;
    },
    get active() {
      return active;
    },
    get waiting() {
      return waiters.length;
    },
    stop() {
      clearInterval(timer);
      setActive(false);
    },
  };
}
