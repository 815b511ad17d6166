// The durable buffer between the broker (producer) and the write service (consumer).
// The broker appends a validated, still-encoded container and acknowledges the device only after
// `appendContainer` resolves, i.e. after the entry is on disk. The write service peeks a batch,
// writes it to InfluxDB and removes it only after InfluxDB answered 204: entries leave the journal
// exactly when they are stored, so a crash on either side replays at most what was in flight.

/** Journal keys grow monotonically within one journal; removal order is free. */
export type JournalKey = number;

export interface JournalEntry {
  readonly key: JournalKey;
  /** An encoded ReadingContainer (proto/readings.proto), exactly as the device published it. */
  readonly container: Uint8Array;
}

export interface JournalDepth {
  readonly entries: number;
  /** Bytes of the journal's pages in use (what the backlog costs on disk). */
  readonly bytes: number;
}

export interface PeekOptions {
  /** Only entries with a key greater than this (the consumer's in-flight high-water mark). */
  readonly afterKey?: JournalKey;
  readonly maxEntries: number;
}

export interface ContainerJournal {
  /** Resolves once the container is durable (fsync'd); many concurrent appends share one fsync. */
  appendContainer(container: Uint8Array): Promise<JournalKey>;
  /** Oldest entries first. Sees entries appended by other processes sharing the journal. */
  peekContainers(options: PeekOptions): JournalEntry[];
  /** Resolves once the removal is committed. Removing an absent key is not an error (replays). */
  removeContainers(keys: readonly JournalKey[]): Promise<void>;
  depth(): JournalDepth;
  close(): Promise<void>;
}
