import { describe, expect, it } from 'vitest';
import { formatLossReport, type LossCheckResult } from '../loss-check.js';
import { classifyLoss } from '../loss-classifier.js';

const report = classifyLoss([{ householdId: 'h', agentId: 'a', seq: 1, readings: 1 }], [{ householdId: 'h', agentId: 'a', seq: 1, points: 1, firstTimestampMs: 0 }]);
const result = (buffered: number[], drained = true): LossCheckResult => ({
  drain: { drained, waitedMs: 1_500, buffered, storedReadings: 1 },
  report,
  sealedLaterContainers: 0,
  passed: drained && report.ok,
});

describe('loss report', () => {
  it('when no buffer was probed, then it does not claim the pipeline drained and says how to check it', () => {
    const firstLine = formatLossReport(result([])).split('\n')[0];
    expect(firstLine).not.toContain('drained: yes');
    expect(firstLine).toBe(
      "drained: not checked (no buffer probed: pass --metrics with the broker's and the fleet's /metrics URLs); stored count stable after 1.5 s",
    );
  });

  it('when buffers were probed, then their depths; an unreachable probe is named so', () => {
    expect(formatLossReport(result([0, 0])).split('\n')[0]).toBe('drained: yes after 1.5 s (buffered: 0, 0)');
    expect(formatLossReport(result([0, Number.NaN], false)).split('\n')[0]).toBe('drained: NO after 1.5 s (buffered: 0, unreachable)');
  });
});
