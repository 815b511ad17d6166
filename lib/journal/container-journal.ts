// The durable buffer between the broker (producer) and the write service (consumer).
// The broker appends a validated, still-encoded container and acknowledges the device only after
// `appendContainer` resolves, i.e. after the entry is on disk. The write service peeks a batch,
// writes it to InfluxDB and removes it only after InfluxDB answered 204: an entry is consumed only
// once it is stored, so a crash on either side replays at most what was in flight (and batches
// stored out of order behind one still in flight). Removal marks entries consumed; the producer
// reclaims their space (trimConsumed), so the consumer never takes the producer's write lock.

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

/**
 * What a removal's FlushTimeoutError names (its `what`) when the disk does not confirm the cursor's
 * flush in time: the write service tells that time-out apart by it.
 */
export const JOURNAL_REMOVAL = 'journal removal';

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
  /**
   * The entries are stored: they are never peeked again by this handle, and once every earlier
   * entry is stored too, never again by anyone. Resolves once that is durable. Removing an absent
   * key is not an error (replays).
   */
  removeContainers(keys: readonly JournalKey[]): Promise<void>;
  /**
   * Producer side: deletes up to `maxEntries` consumed entries, inside the producer's own write
   * transactions. Resolves with how many it deleted (fewer than asked: nothing more to trim now).
   */
  trimConsumed(maxEntries: number): Promise<number>;
  /** Entries not yet consumed, and the bytes the journal occupies. */
  depth(): JournalDepth;
  close(): Promise<void>;
}
