// Completeness from sequence numbers. Every container an agent builds gets the next seq, and seq
// only grows, across restarts too (device-agent/outbox.ts keeps the next seq on disk). So the
// containers an agent *produced* between two received ones are exactly the seqs between them:
// a missing seq is a container lost or not yet delivered. An agent that was switched off produced
// nothing and leaves no seq gap — that is not a delivery loss, and is reported separately as
// coverage (received / what the median publish interval would give over the day).
import type { CalendarBucket } from './calendar-buckets.js';

export interface SeqSample {
  readonly seq: number;
  readonly timeMs: number;
}

export interface SeqGap {
  readonly fromSeq: number;
  readonly toSeq: number;
  readonly missing: number;
  /** Interpolated between the received neighbours. */
  readonly approxFromMs: number;
  readonly approxToMs: number;
}

export interface DayCompleteness {
  readonly day: string;
  readonly received: number;
  readonly expected: number;
  /** received / expected; null when nothing was expected. */
  readonly share: number | null;
  /** received / (day length / median interval); null when the interval is unknown. */
  readonly coverage: number | null;
}

/** Distinct samples in seq order (all readings of a container share its seq). */
export function distinctBySeq(samples: readonly SeqSample[]): SeqSample[] {
  const bySeq = new Map<number, SeqSample>();
  for (const s of samples) if (!bySeq.has(s.seq)) bySeq.set(s.seq, s);
  return [...bySeq.values()].sort((a, b) => a.seq - b.seq);
}

export function findGaps(sorted: readonly SeqSample[]): SeqGap[] {
  const gaps: SeqGap[] = [];
  for (let i = 1; i < sorted.length; i += 1) {
    const a = sorted[i - 1];
    const b = sorted[i];
    if (a === undefined || b === undefined || b.seq <= a.seq + 1) continue;
    // A higher seq sent earlier: the agent lost its seq state (reinstalled) and counted again from 1,
    // so the seqs between the two runs were never produced.
    if (b.timeMs < a.timeMs) continue;
    const perSeqMs = (b.timeMs - a.timeMs) / (b.seq - a.seq);
    gaps.push({
      fromSeq: a.seq + 1,
      toSeq: b.seq - 1,
      missing: b.seq - a.seq - 1,
      approxFromMs: Math.round(a.timeMs + perSeqMs),
      approxToMs: Math.round(b.timeMs - perSeqMs),
    });
  }
  return gaps;
}

/** Median spacing between consecutive seqs, per seq step; undefined with fewer than two samples. */
export function medianIntervalMs(sorted: readonly SeqSample[]): number | undefined {
  const spacings: number[] = [];
  for (let i = 1; i < sorted.length; i += 1) {
    const a = sorted[i - 1];
    const b = sorted[i];
    if (a !== undefined && b !== undefined) spacings.push((b.timeMs - a.timeMs) / (b.seq - a.seq));
  }
  if (spacings.length === 0) return undefined;
  spacings.sort((x, y) => x - y);
  return spacings[Math.floor(spacings.length / 2)];
}

/** Missing seqs of `gap` whose interpolated time falls in [startMs, endMs). */
function missingWithin(gap: SeqGap, startMs: number, endMs: number): number {
  if (gap.missing === 1) return gap.approxFromMs >= startMs && gap.approxFromMs < endMs ? 1 : 0;
  const perSeqMs = (gap.approxToMs - gap.approxFromMs) / (gap.missing - 1);
  if (perSeqMs <= 0) return gap.approxFromMs >= startMs && gap.approxFromMs < endMs ? gap.missing : 0;
  const first = Math.max(0, Math.ceil((startMs - gap.approxFromMs) / perSeqMs));
  const last = Math.min(gap.missing - 1, Math.ceil((endMs - gap.approxFromMs) / perSeqMs) - 1);
  return Math.max(0, last - first + 1);
}

export function completenessByDay(sorted: readonly SeqSample[], gaps: readonly SeqGap[], days: readonly CalendarBucket[]): DayCompleteness[] {
  const interval = medianIntervalMs(sorted);
  return days.map((day) => {
    const received = sorted.filter((s) => s.timeMs >= day.startMs && s.timeMs < day.endMs).length;
    const missing = gaps.reduce((sum, gap) => sum + missingWithin(gap, day.startMs, day.endMs), 0);
    const expected = received + missing;
    const possible = interval === undefined || interval <= 0 ? undefined : (day.endMs - day.startMs) / interval;
    return {
      day: day.label,
      received,
      expected,
      share: expected === 0 ? null : received / expected,
      coverage: possible === undefined ? null : Math.min(1, received / possible),
    };
  });
}
