// What InfluxDB 1.x's `partial write` answer tells about which lines of a request it refused, so
// that a batch with many refused lines needs a few requests instead of a bisection per line.
// Checked against Debian's InfluxDB 1.6.7 (partial-write.int.test.ts re-checks each point):
// - 400 `partial write: points beyond retention policy dropped=N`: the other points are written.
//   A point is dropped when it is older than now − the policy's duration and no shard group that
//   another point of the request needed covers it. A point kept although older than a dropped one
//   would lie in a shard group starting before the dropped point and ending after a point newer
//   than the limit, which covers the dropped one too: so the dropped points are exactly the N
//   oldest (1.6.7's coordinator/points_writer.go MapShards).
// - 400 `partial write: field type conflict: input field "f" on measurement "m" is type T1, already
//   exists as type T2 dropped=N`: the other points are written; N counts the conflicts of one shard
//   only (1.x returns the first failing shard's error), and the message names only the first one.
// - A line that does not parse is not written and is not counted in N; when points were also
//   dropped for retention, only the retention message is given (the parse error is not mentioned).
// InfluxDB 2.x/3.x word their answers differently (422, JSON with `message`, wrapped reasons): they
// never match here and are bisected.

/** How the lines of a refused request divide. */
export type PartialWriteReading =
  /** InfluxDB refused every line of the request, and its message holds for each of them. */
  | { readonly kind: 'allRefused' }
  /** A guess to be confirmed by sending each part again: `refused` should all be refused, `rest` stored. */
  | { readonly kind: 'split'; readonly refused: readonly string[]; readonly rest: readonly string[] }
  /** Nothing to go by: bisect. */
  | { readonly kind: 'unknown' };

const PARTIAL_WRITE = /^partial write: (points beyond retention policy|field type conflict: [^\n]*) dropped=(\d+)$/;

export function readPartialWrite(lines: readonly string[], status: number, message: string): PartialWriteReading {
  const match = status === 400 ? PARTIAL_WRITE.exec(message) : null;
  if (match === null) return { kind: 'unknown' };
  const reason = match[1] ?? '';
  const dropped = Number(match[2]);
  // N counts points that parsed, so N = every line means each line parsed and was dropped. For a
  // type conflict the message names one field, which holds for every line only because the write
  // service's lines all have the same measurement and fields (`reading`, value float, seq integer).
  if (dropped === lines.length) return { kind: 'allRefused' };
  if (dropped === 0 || dropped > lines.length || reason !== 'points beyond retention policy') return { kind: 'unknown' };
  return oldestFirst(lines, dropped);
}

/** The `dropped` lines with the oldest timestamps, and the rest; unknown if a line has no timestamp. */
function oldestFirst(lines: readonly string[], dropped: number): PartialWriteReading {
  const stamped = lines.map((line, index) => ({ index, timestamp: lineTimestamp(line) }));
  if (stamped.some(({ timestamp }) => Number.isNaN(timestamp))) return { kind: 'unknown' };
  stamped.sort((a, b) => a.timestamp - b.timestamp || a.index - b.index);
  const refusedIndexes = new Set(stamped.slice(0, dropped).map(({ index }) => index));
  const refused: string[] = [];
  const rest: string[] = [];
  lines.forEach((line, index) => (refusedIndexes.has(index) ? refused : rest).push(line));
  return { kind: 'split', refused, rest };
}

/** The timestamp that ends a line (the text after its last space), NaN if there is none. */
function lineTimestamp(line: string): number {
  const text = line.slice(line.lastIndexOf(' ') + 1);
  return /^-?\d+$/.test(text) ? Number(text) : Number.NaN;
}
