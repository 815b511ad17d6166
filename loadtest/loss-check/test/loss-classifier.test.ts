import { describe, expect, it } from 'vitest';
import { readingId } from '../../../device-agent/production-ledger.js';
import { storedReading } from '../container-comparison.js';
import { classifyLoss, toRanges, type ProducedContainerSummary, type StoredContainerSummary } from '../loss-classifier.js';

const produced = (agentId: string, seqs: number[], readings = 11): ProducedContainerSummary[] =>
  seqs.map((seq) => ({ householdId: `h-${agentId}`, agentId, seq, readings }));
const stored = (agentId: string, seqs: number[], points = 11, tsOf = (seq: number) => 1_000 * seq): StoredContainerSummary[] =>
  seqs.map((seq) => ({ householdId: `h-${agentId}`, agentId, seq, points, firstTimestampMs: tsOf(seq) }));

describe('loss classifier', () => {
  it('folds seqs into ranges', () => {
    expect(toRanges([7, 1, 2, 3, 3, 9, 10])).toEqual([{ from: 1, to: 3 }, { from: 7, to: 7 }, { from: 9, to: 10 }]);
    expect(toRanges([])).toEqual([]);
  });

  it('when everything produced is stored once, then ok', () => {
    const report = classifyLoss([...produced('a', [1, 2, 3]), ...produced('b', [1])], [...stored('a', [1, 2, 3]), ...stored('b', [1])]);
    expect(report.ok).toBe(true);
    expect(report.totals).toMatchObject({ agents: 2, producedReadings: 44, storedReadings: 44, lostReadings: 0 });
  });

  it('when containers or single readings are missing, then lost names them', () => {
    const report = classifyLoss(produced('a', [1, 2, 3, 4, 5]), [...stored('a', [1, 5]), ...stored('a', [4], 10)]);
    expect(report.ok).toBe(false);
    expect(report.agents[0]).toMatchObject({ lostReadings: 2 * 11 + 1, lostSeqs: [{ from: 2, to: 4 }] });
  });

  it('when a container is stored with extra points, then duplicated; an unknown seq is unexpected', () => {
    const report = classifyLoss(produced('a', [1, 2]), [...stored('a', [1]), ...stored('a', [2], 22), ...stored('a', [9], 3)]);
    expect(report.agents[0]).toMatchObject({
      duplicatedReadings: 11,
      duplicatedSeqs: [{ from: 2, to: 2 }],
      unexpectedReadings: 3,
      unexpectedSeqs: [{ from: 9, to: 9 }],
    });
  });

  it('when a later seq carries earlier timestamps, then out of order; an old backfill in seq order is fine', () => {
    const swapped = classifyLoss(produced('a', [1, 2, 3]), stored('a', [1, 2, 3], 11, (seq) => (seq === 3 ? 500 : 1_000 * seq)));
    expect(swapped.agents[0]?.outOfOrderSeqs).toEqual([{ from: 3, to: 3 }]);
    const backfill = classifyLoss(produced('a', [1, 2, 3]), stored('a', [1, 2, 3], 11, (seq) => seq * 60_000 - 86_400_000));
    expect(backfill.ok).toBe(true);
  });

  it('when an agent stored nothing, then all its readings are lost; an unknown agent is unexpected', () => {
    const report = classifyLoss(produced('a', [1, 2]), stored('z', [1]));
    expect(report.agents.map((a) => [a.agentId, a.lostReadings, a.unexpectedReadings])).toEqual([
      ['a', 22, 0],
      ['z', 0, 11],
    ]);
  });
});

describe('loss classifier, by reading identity', () => {
  // Three readings a container, as the ledger (readingId) and InfluxDB (storedReading) identify them.
  const readingsOf = (seq: number) => [0, 1, 2].map((i) => ({ device: `d${i}`, quantity: 'power_w', timestampMs: 1_000 * seq + i, value: 100 + i }));
  const producedWithIds = (seqs: number[]): ProducedContainerSummary[] =>
    seqs.map((seq) => ({
      householdId: 'h',
      agentId: 'a',
      seq,
      readings: 3,
      readingIds: readingsOf(seq).map((r) => readingId(r.device, r.quantity, r.timestampMs, r.value)),
    }));
  type Point = ReturnType<typeof readingsOf>[number];
  const storedPoints = (seq: number, points: Point[]): StoredContainerSummary => ({
    householdId: 'h',
    agentId: 'a',
    seq,
    points: points.length,
    firstTimestampMs: Math.min(...points.map((p) => p.timestampMs)),
    readings: points.map((p) => storedReading(p.device, p.quantity, p.timestampMs, p.value)),
  });
  const storedAsProduced = (seqs: number[]) => seqs.map((seq) => storedPoints(seq, readingsOf(seq)));

  it('when every reading is stored as produced, then ok and nothing is checked by count only', () => {
    const report = classifyLoss(producedWithIds([1, 2, 3]), storedAsProduced([1, 2, 3]));
    expect(report.ok).toBe(true);
    expect(report.totals).toMatchObject({ producedReadings: 9, storedReadings: 9, lostReadings: 0, unexpectedReadings: 0, countOnlyContainers: 0 });
  });

  it('when a reading is lost and a foreign point of the same seq takes its place, then one lost and one unexpected', () => {
    const [kept1, , kept3] = readingsOf(2) as [Point, Point, Point];
    const foreign = { device: 'intruder', quantity: 'power_w', timestampMs: 2_500, value: 1 };
    const report = classifyLoss(producedWithIds([1, 2, 3]), [...storedAsProduced([1, 3]), storedPoints(2, [kept1, kept3, foreign])]);
    expect(report.ok).toBe(false);
    expect(report.agents[0]).toMatchObject({
      storedReadings: 9,
      lostReadings: 1,
      lostSeqs: [{ from: 2, to: 2 }],
      unexpectedReadings: 1,
      unexpectedSeqs: [{ from: 2, to: 2 }],
      duplicatedReadings: 0,
    });
  });

  it('when a reading is stored with another value, then it is lost and the stored point unexpected', () => {
    const [r1, r2, r3] = readingsOf(1) as [Point, Point, Point];
    const report = classifyLoss(producedWithIds([1]), [storedPoints(1, [r1, r2, { ...r3, value: 7 }])]);
    expect(report.totals).toMatchObject({ lostReadings: 1, unexpectedReadings: 1, duplicatedReadings: 0 });
  });

  it('when a reading is simply missing, then lost', () => {
    const [r1, r2] = readingsOf(2) as [Point, Point, Point];
    const report = classifyLoss(producedWithIds([1, 2]), [...storedAsProduced([1]), storedPoints(2, [r1, r2])]);
    expect(report.agents[0]).toMatchObject({ lostReadings: 1, lostSeqs: [{ from: 2, to: 2 }], unexpectedReadings: 0, duplicatedReadings: 0 });
  });

  it('when a stored reading is stored again under another timestamp, then duplicated, not unexpected', () => {
    const points = readingsOf(1);
    const restamped = { ...(points[0] as Point), timestampMs: 9_999 };
    const report = classifyLoss(producedWithIds([1]), [storedPoints(1, [...points, restamped])]);
    expect(report.agents[0]).toMatchObject({ duplicatedReadings: 1, duplicatedSeqs: [{ from: 1, to: 1 }], unexpectedReadings: 0, lostReadings: 0 });
  });

  it('when the ledger has counts only (an older ledger), then containers are compared by count and said to be', () => {
    const countOnly = producedWithIds([1, 2]).map(({ readingIds: _ids, ...rest }) => rest);
    const [kept1, kept2] = readingsOf(2) as [Point, Point, Point];
    const swapped = [...storedAsProduced([1]), storedPoints(2, [kept1, kept2, { device: 'intruder', quantity: 'power_w', timestampMs: 2_500, value: 1 }])];
    const report = classifyLoss(countOnly, swapped);
    expect(report.ok).toBe(true);
    expect(report.totals.countOnlyContainers).toBe(2);
    expect(classifyLoss(countOnly, storedAsProduced([1])).agents[0]).toMatchObject({ lostReadings: 3, lostSeqs: [{ from: 2, to: 2 }] });
  });
});
