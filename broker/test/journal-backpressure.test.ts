import { afterEach, describe, expect, it, vi } from 'vitest';
import { createJournalBackpressure } from '../journal-backpressure.js';

describe('journal backpressure', () => {
  afterEach(() => vi.useRealTimers());

  it('when the journal is under its high-water mark, then publishes go ahead at once', () => {
    const gate = createJournalBackpressure({ depth: () => ({ entries: 10, bytes: 0 }), highWaterEntries: 100, lowWaterEntries: 50, pollMs: 100 });
    expect(gate.admit()).toBeUndefined();
    gate.stop();
  });

  it('when appends pass the high-water mark between polls, then the next publish waits until the journal drains below low water', async () => {
    vi.useFakeTimers();
    let entries = 95;
    const changes: boolean[] = [];
    const gate = createJournalBackpressure({
      depth: () => ({ entries, bytes: 0 }),
      highWaterEntries: 100,
      lowWaterEntries: 50,
      pollMs: 100,
      onChange: (active) => changes.push(active),
    });
    for (let i = 0; i < 5; i++) {
      expect(gate.admit()).toBeUndefined();
      gate.noteAppended();
      entries++;
    }
    const waiting = gate.admit();
    expect(waiting).toBeInstanceOf(Promise);
    expect(gate.active).toBe(true);
    let released = false;
    void waiting?.then(() => (released = true));

    entries = 60; // draining, but not yet below low water
    await vi.advanceTimersByTimeAsync(100);
    expect(released).toBe(false);
    expect(gate.waiting).toBe(1);

    entries = 49;
    await vi.advanceTimersByTimeAsync(100);
    expect(released).toBe(true);
    expect(gate.admit()).toBeUndefined();
    expect(changes).toEqual([true, false]);
    gate.stop();
  });

  it('refuses a low-water mark at or above the high-water mark', () => {
    expect(() => createJournalBackpressure({ depth: () => ({ entries: 0, bytes: 0 }), highWaterEntries: 10, lowWaterEntries: 10, pollMs: 100 })).toThrow(/low-water/);
  });

  it('when stopped, then waiting publishes are released', async () => {
    const gate = createJournalBackpressure({ depth: () => ({ entries: 500, bytes: 0 }), highWaterEntries: 100, lowWaterEntries: 50, pollMs: 100 });
    const waiting = gate.admit();
    gate.stop();
    await expect(waiting).resolves.toBeUndefined();
  });
});
