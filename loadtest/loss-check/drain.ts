// "Only pass when the pipeline has drained": every buffer between agent and InfluxDB is empty
// (agent outboxes, the broker's journal) and the stored count no longer moves between polls.
// Checking earlier would report readings still in flight as lost.

export interface DrainProbes {
  /** Entries still buffered somewhere (outbox depth, journal depth, …); all must reach 0. */
  readonly buffered: readonly (() => Promise<number>)[];
  /** Readings stored so far; must be equal on two consecutive polls. */
  readonly storedReadings: () => Promise<number>;
}

export interface DrainResult {
  readonly drained: boolean;
  readonly waitedMs: number;
  readonly buffered: readonly number[];
  readonly storedReadings: number;
}

export async function waitUntilDrained(
  probes: DrainProbes,
  options: { readonly timeoutMs: number; readonly pollMs?: number; readonly now?: () => number },
): Promise<DrainResult> {
  const now = options.now ?? Date.now;
  const pollMs = options.pollMs ?? 1_000;
  const started = now();
  let previousStored = -1;
  for (;;) {
    const buffered = await Promise.all(probes.buffered.map((probe) => probe().catch(() => Number.NaN)));
    const stored = await probes.storedReadings();
    const empty = buffered.every((depth) => depth === 0);
    const waitedMs = now() - started;
    if (empty && stored === previousStored) return { drained: true, waitedMs, buffered, storedReadings: stored };
    if (waitedMs >= options.timeoutMs) return { drained: false, waitedMs, buffered, storedReadings: stored };
    previousStored = empty ? stored : -1;
    await new Promise((resolve) => setTimeout(resolve, pollMs));
  }
}
