import { describe, expect, it } from 'vitest';
import { runPhase } from '../run-phase.js';

describe('run phase', () => {
  it('when acks arrive before and after the warm-up, then only the later ones make the steady-state latency', async () => {
    const result = await runPhase(
      {
        target: 'fake',
        unit: 'msgs',
        warmupMs: 2000,
        cpuPids: {},
        load: (events) => {
          events.onSent(0);
          events.onAck(500, 100);
          events.onSent(2400, 2);
          events.onAck(2500, 5, 2);
          return Promise.resolve({ sent: 3, acked: 3, behind: 0, failed: 2, elapsedMs: 3000, latenciesMs: [100, 5] });
        },
      },
      { print: () => undefined, signal: new AbortController().signal },
    );
    expect(result.latencyMs.max).toBe(100);
    expect(result.steadyLatencyMs).toMatchObject({ count: 1, p99: 5 });
    expect(result).toMatchObject({ sent: 3, acked: 3, stored: undefined, warmupMs: 2000 });
    expect(result.notes).toContain('2 publishes failed (connection closed or request refused)');
  });

  it('when aborted, then the phase stops waiting for the stored goal', async () => {
    const stop = new AbortController();
    stop.abort();
    const result = await runPhase(
      {
        target: 'fake',
        unit: 'msgs',
        cpuPids: {},
        readStoredTotal: () => Promise.resolve(0),
        storedGoal: () => 1_000_000,
        load: (events) => {
          expect(events.signal.aborted).toBe(true);
          return Promise.resolve({ sent: 1, acked: 1, behind: 0, failed: 0, elapsedMs: 1, latenciesMs: [1] });
        },
      },
      { print: () => undefined, signal: stop.signal },
    );
    expect(result.stored).toBe(0);
    expect(result.notes.join()).toContain('interrupted');
  });

  it('when the target stores asynchronously, then the phase waits until the stored counter reaches the goal', async () => {
    let stored = 10;
    const result = await runPhase(
      {
        target: 'fake',
        unit: 'msgs',
        cpuPids: {},
        readStoredTotal: () => Promise.resolve((stored += 4)),
        storedGoal: (acked) => acked * 11,
        load: () => Promise.resolve({ sent: 2, acked: 2, behind: 0, failed: 0, elapsedMs: 1, latenciesMs: [1, 1] }),
      },
      { print: () => undefined, signal: new AbortController().signal },
    );
    expect(result.stored).toBeGreaterThanOrEqual(22);
    expect(result.storedPerSecond).toBeGreaterThan(0);
  });
});
