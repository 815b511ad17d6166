import { describe, expect, it } from 'vitest';
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
