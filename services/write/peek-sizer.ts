// How many journal entries to peek to fill a batch's free lines. Peeking copies every entry out of
// LMDB, so asking for `freeLines` entries when containers hold ~11 lines each would copy ~11× more
// than a batch can take. The estimate follows the recent lines-per-container average.

export interface PeekSizer {
  /** Entries to peek for `freeLines` free lines: at least 1, at most `freeLines`. */
  size(freeLines: number): number;
  /** Records the line count of one peeked container. */
  observe(lines: number): void;
}

export function createPeekSizer(): PeekSizer {
  let averageLines = 1;
  return {
    size(freeLines) {
      // +1: one more entry than expected, so a batch that has room for it fills in one peek.
      return Math.max(1, Math.min(freeLines, Math.ceil(freeLines / averageLines) + 1));
    },
    observe(lines) {
      // Exponential moving average; at least 1 so an empty container cannot make the estimate 0.
      averageLines = Math.max(1, averageLines * 0.9 + lines * 0.1);
    },
  };
}
