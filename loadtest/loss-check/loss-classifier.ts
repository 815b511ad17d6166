// Compares what agents produced with what InfluxDB holds, per agent and container (seq), and
// classifies every difference. Pure: the ledger and the stored summaries are read elsewhere.
//
// Readings are compared by identity where the ledger has one (device, quantity, timestamp and
// value: readingId in device-agent/production-ledger.ts), so a reading lost and replaced by a
// foreign point in the same container counts as lost and unexpected; containers from older
// ledgers (a count only) are compared by count and reported as such.
//
// Because a point with the same series and timestamp replaces the earlier one in InfluxDB, a
// redelivered container can never show up twice; "duplicated" therefore means a reading of the
// container stored again under another timestamp (re-stamped or re-sealed readings). By count it
// is a container stored with more points than it was produced with.
import { compareByCount, compareReadings, type ContainerDifference, type StoredReading } from './container-comparison.js';

export type { StoredReading } from './container-comparison.js';

export interface ProducedContainerSummary {
  readonly householdId: string;
  readonly agentId: string;
  readonly seq: number;
  /** Readings in the container. */
  readonly readings: number;
  /** readingId of each reading; without them the container can only be checked by count. */
  readonly readingIds?: readonly number[];
}

export interface StoredContainerSummary {
  readonly householdId: string;
  readonly agentId: string;
  readonly seq: number;
  /** Points stored with this seq. */
  readonly points: number;
  /** Earliest timestamp among them, ms. */
  readonly firstTimestampMs: number;
  /** Each stored point's identity; without them containers are compared by count. */
  readonly readings?: readonly StoredReading[];
}

export interface SeqRange {
  readonly from: number;
  readonly to: number;
}

export interface AgentLossReport {
  readonly householdId: string;
  readonly agentId: string;
  readonly producedContainers: number;
  readonly producedReadings: number;
  readonly storedReadings: number;
  /** Readings produced but not stored, and the containers they belong to. */
  readonly lostReadings: number;
  readonly lostSeqs: readonly SeqRange[];
  /** Readings of a produced container stored again under another timestamp (by count: extra points). */
  readonly duplicatedReadings: number;
  readonly duplicatedSeqs: readonly SeqRange[];
  /** Points the agent never produced: under a seq it never produced, or foreign to a container. */
  readonly unexpectedReadings: number;
  readonly unexpectedSeqs: readonly SeqRange[];
  /** Produced containers the ledger holds no reading identities for: compared by count only. */
  readonly countOnlyContainers: number;
  /** Containers whose timestamps go back in time against seq order. */
  readonly outOfOrderSeqs: readonly SeqRange[];
}

export interface LossReport {
  readonly agents: readonly AgentLossReport[];
  readonly totals: {
    readonly agents: number;
    readonly producedReadings: number;
    readonly storedReadings: number;
    readonly lostReadings: number;
    readonly duplicatedReadings: number;
    readonly unexpectedReadings: number;
    readonly outOfOrderContainers: number;
    readonly countOnlyContainers: number;
  };
  /** True when nothing is lost, duplicated, unexpected or out of order. */
  readonly ok: boolean;
}

/** Sorted seqs → contiguous ranges ([1,2,3,7] → 1–3, 7–7). */
export function toRanges(seqs: readonly number[]): SeqRange[] {
  const sorted = [...seqs].sort((a, b) => a - b);
  const ranges: { from: number; to: number }[] = [];
  for (const seq of sorted) {
    const last = ranges.at(-1);
    if (last !== undefined && seq === last.to + 1) last.to = seq;
    else if (last === undefined || seq !== last.to) ranges.push({ from: seq, to: seq });
  }
  return ranges;
}

const agentKey = (householdId: string, agentId: string): string => `${householdId}\u0000${agentId}`;

function groupByAgent<T extends { householdId: string; agentId: string }>(items: readonly T[]): Map<string, T[]> {
  const groups = new Map<string, T[]>();
  for (const item of items) {
    const key = agentKey(item.householdId, item.agentId);
    const group = groups.get(key);
    if (group === undefined) groups.set(key, [item]);
    else group.push(item);
  }
  return groups;
}

export function classifyAgent(
  produced: readonly ProducedContainerSummary[],
  stored: readonly StoredContainerSummary[],
): AgentLossReport {
  const first = produced[0] ?? stored[0];
  if (first === undefined) throw new Error('classifyAgent needs at least one produced or stored container');
  const producedBySeq = new Map(produced.map((c) => [c.seq, c]));
  const storedBySeq = new Map(stored.map((c) => [c.seq, c]));
  const found = { lost: new Tally(), duplicated: new Tally(), unexpected: new Tally() };
  let countOnlyContainers = 0;
  for (const [seq, container] of producedBySeq) {
    const storedContainer = storedBySeq.get(seq);
    const identities = container.readingIds !== undefined && (storedContainer === undefined || storedContainer.readings !== undefined);
    if (!identities) countOnlyContainers++;
    const difference: ContainerDifference = identities
      ? compareReadings(container.readingIds ?? [], storedContainer?.readings ?? [])
      : compareByCount(container.readings, storedContainer?.points ?? 0);
    found.lost.add(seq, difference.lost);
    found.duplicated.add(seq, difference.duplicated);
    found.unexpected.add(seq, difference.unexpected);
  }
  for (const container of stored) if (!producedBySeq.has(container.seq)) found.unexpected.add(container.seq, container.points);
  return {
    householdId: first.householdId,
    agentId: first.agentId,
    producedContainers: produced.length,
    producedReadings: produced.reduce((sum, c) => sum + c.readings, 0),
    storedReadings: stored.reduce((sum, c) => sum + c.points, 0),
    lostReadings: found.lost.readings,
    lostSeqs: toRanges(found.lost.seqs),
    duplicatedReadings: found.duplicated.readings,
    duplicatedSeqs: toRanges(found.duplicated.seqs),
    unexpectedReadings: found.unexpected.readings,
    unexpectedSeqs: toRanges(found.unexpected.seqs),
    outOfOrderSeqs: toRanges(outOfOrder(stored)),
    countOnlyContainers,
  };
}

/** Readings of one kind of difference and the seqs they are in. */
class Tally {
  readings = 0;
  readonly seqs: number[] = [];
  add(seq: number, readings: number): void {
    if (readings === 0) return;
    this.readings += readings;
    this.seqs.push(seq);
  }
}

/** Seqs whose first timestamp is earlier than that of a smaller seq: time went backwards. */
function outOfOrder(stored: readonly StoredContainerSummary[]): number[] {
  const bySeq = [...stored].sort((a, b) => a.seq - b.seq);
  const found: number[] = [];
  let latestMs = Number.NEGATIVE_INFINITY;
  for (const container of bySeq) {
    if (container.firstTimestampMs < latestMs) found.push(container.seq);
    else latestMs = container.firstTimestampMs;
  }
  return found;
}

export function classifyLoss(
  produced: readonly ProducedContainerSummary[],
  stored: readonly StoredContainerSummary[],
): LossReport {
  const producedByAgent = groupByAgent(produced);
  const storedByAgent = groupByAgent(stored);
  const keys = new Set([...producedByAgent.keys(), ...storedByAgent.keys()]);
  const agents = [...keys]
    .sort()
    .map((key) => classifyAgent(producedByAgent.get(key) ?? [], storedByAgent.get(key) ?? []));
  const sum = (pick: (a: AgentLossReport) => number): number => agents.reduce((total, a) => total + pick(a), 0);
  const totals = {
    agents: agents.length,
    producedReadings: sum((a) => a.producedReadings),
    storedReadings: sum((a) => a.storedReadings),
    lostReadings: sum((a) => a.lostReadings),
    duplicatedReadings: sum((a) => a.duplicatedReadings),
    unexpectedReadings: sum((a) => a.unexpectedReadings),
    outOfOrderContainers: sum((a) => a.outOfOrderSeqs.reduce((n, r) => n + r.to - r.from + 1, 0)),
    countOnlyContainers: sum((a) => a.countOnlyContainers),
  };
  const ok =
    totals.lostReadings === 0 && totals.duplicatedReadings === 0 && totals.unexpectedReadings === 0 && totals.outOfOrderContainers === 0;
  return { agents, totals, ok };
}
