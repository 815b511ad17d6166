import { describe, expect, it } from 'vitest';
import { createAddressLookupGate, type ReleaseTurn } from '../address-lookup-gate.js';

function setup(maxConcurrentPerKey = 2, maxQueuedPerKey = 3) {
  const gate = createAddressLookupGate({ maxConcurrentPerKey, maxQueuedPerKey });
  const started: string[] = [];
  const releases = new Map<string, ReleaseTurn>();
  /** Enters `name` under `key`; its turn is held until `release(name)`. */
  const enter = (key: string, name: string): boolean =>
    gate.enter(key, (release) => {
      started.push(name);
      releases.set(name, release);
    });
  const release = (name: string): void => (releases.get(name) as ReleaseTurn)();
  return { gate, started, enter, release };
}

describe('address lookup gate', () => {
  it('when a key has its turns taken, then the next ones wait and start in arrival order as turns are released', () => {
    const { gate, started, enter, release } = setup();
    for (const name of ['a', 'b', 'c', 'd']) expect(enter('k', name)).toBe(true);
    expect(started).toEqual(['a', 'b']);
    expect(gate.load()).toEqual({ running: 2, queued: 2 });
    release('b');
    expect(started).toEqual(['a', 'b', 'c']);
    release('a');
    release('c');
    release('d');
    expect(started).toEqual(['a', 'b', 'c', 'd']);
    expect(gate.load()).toEqual({ running: 0, queued: 0 });
  });

  it('when a turn is released twice, then the second release frees nothing', () => {
    const { gate, started, enter, release } = setup(1);
    enter('k', 'a');
    enter('k', 'b');
    enter('k', 'c');
    release('a');
    release('a');
    expect(started).toEqual(['a', 'b']);
    expect(gate.load()).toEqual({ running: 1, queued: 1 });
  });

  it('when a key\'s line is full, then enter refuses without starting, and other keys are not affected', () => {
    const { gate, started, enter } = setup(1, 2);
    expect([enter('k', 'a'), enter('k', 'b'), enter('k', 'c'), enter('k', 'd')]).toEqual([true, true, true, false]);
    expect(enter('other', 'x')).toBe(true);
    expect(started).toEqual(['a', 'x']);
    expect(gate.load()).toEqual({ running: 2, queued: 2 });
  });

  it('when waiting turns release as soon as they start (a throttled address), then a long line drains without deep recursion', () => {
    const gate = createAddressLookupGate({ maxConcurrentPerKey: 1, maxQueuedPerKey: 100_000 });
    let first: ReleaseTurn | undefined;
    gate.enter('k', (release) => {
      first = release;
    });
    let refused = 0;
    for (let i = 0; i < 100_000; i++) {
      gate.enter('k', (release) => {
        refused++;
        release();
      });
    }
    (first as ReleaseTurn)();
    expect(refused).toBe(100_000);
    expect(gate.load()).toEqual({ running: 0, queued: 0 });
  });

  it('when a turn is released at once inside enter, then the key is forgotten and enters again afresh', () => {
    const gate = createAddressLookupGate({ maxConcurrentPerKey: 1, maxQueuedPerKey: 0 });
    expect(gate.enter('k', (release) => release())).toBe(true);
    expect(gate.enter('k', (release) => release())).toBe(true);
    expect(gate.load()).toEqual({ running: 0, queued: 0 });
  });

  it('when asked for fewer than one turn per key, then it throws', () => {
    expect(() => createAddressLookupGate({ maxConcurrentPerKey: 0, maxQueuedPerKey: 1 })).toThrow(RangeError);
  });
});
