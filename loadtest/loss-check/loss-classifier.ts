// Compares what agents produced with what InfluxDB holds, per agent and container (seq), and
// classifies every difference. Pure: the ledger and the stored summaries are read elsewhere.
//
// Because a point with the same series and timestamp replaces the earlier one in InfluxDB, a
// redelivered container can never show up twice; "duplicated" therefore means a container stored
// with more points than it was produced with (re-stamped or re-sealed readings).

export interface ProducedContainerSummary {
  readonly householdId: string;
  readonly agentId: string;
  readonly seq: number;
  /** Readings in the container. */
  readonly readings: number;
}

export interface StoredContainerSummary {
  readonly householdId: string;
  readonly agentId: string;
  readonly seq: number;
  /** Points stored with this seq. */
  readonly points: number;
  /** Earliest timestamp among them, ms. */
  readonly firstTimestampMs: number;
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
  /** Points stored beyond what a produced container held. */
  readonly duplicatedReadings: number;
  readonly duplicatedSeqs: readonly SeqRange[];
  /** Points stored under a seq the agent never produced. */
  readonly unexpectedReadings: number;
  readonly unexpectedSeqs: readonly SeqRange[];
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
  const producedBySeq = new Map(produced.map((c) => [c.seq, c.readings]));
  const storedBySeq = new Map(stored.map((c) => [c.seq, c]));
  const lost: number[] = [];
  const duplicated: number[] = [];
  const unexpected: number[] = [];
  let lostReadings = 0;
  let duplicatedReadings = 0;
  let unexpectedReadings = 0;
  for (const [seq, readings] of producedBySeq) {
    const points = storedBySeq.get(seq)?.points ?? 0;
    if (points < readings) {
      lost.push(seq);
      lostReadings += readings - points;
    } else if (points > readings) {
      duplicated.push(seq);
      duplicatedReadings += points - readings;
    }
  }
  for (const container of stored) {
    if (producedBySeq.has(container.seq)) continue;
    unexpected.push(container.seq);
    unexpectedReadings += container.points;
  }
  return {
    householdId: first.householdId,
    agentId: first.agentId,
    producedContainers: produced.length,
    producedReadings: produced.reduce((sum, c) => sum + c.readings, 0),
    storedReadings: stored.reduce((sum, c) => sum + c.points, 0),
    lostReadings,
    lostSeqs: toRanges(lost),
    duplicatedReadings,
    duplicatedSeqs: toRanges(duplicated),
    unexpectedReadings,
    unexpectedSeqs: toRanges(unexpected),
    outOfOrderSeqs: toRanges(outOfOrder(stored)),
  };
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
  };
  const ok =
    totals.lostReadings === 0 && totals.duplicatedReadings === 0 && totals.unexpectedReadings === 0 && totals.outOfOrderContainers === 0;
  return { agents, totals, ok };
}
