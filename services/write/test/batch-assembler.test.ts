import { describe, expect, it } from 'vitest';
import { createBatchAssembler, type BatchEntry } from '../batch-assembler.js';

const T0 = 1_000_000;

function entry(key: number, lineCount: number): BatchEntry {
  return { key, lineBytes: Buffer.from(Array.from({ length: lineCount }, (_, i) => `line ${key}.${i}`).join('\n')), lineCount, createdAtMs: T0, oldestReadingMs: T0, newestReadingMs: T0, container: new Uint8Array(0) };
}

describe('batch assembler', () => {
  it('when a batch is not full, then it is due only once its oldest entry waited lingerMs', () => {
    const assembler = createBatchAssembler({ maxBatchLines: 10, lingerMs: 50 });
    expect(assembler.offer(entry(1, 3), T0)).toBe(true);
    expect(assembler.offer(entry(2, 3), T0 + 30)).toBe(true);
    expect(assembler.takeDue(T0 + 49)).toBeUndefined();
    expect(assembler.msUntilDue(T0 + 49)).toBe(1);
    const batch = assembler.takeDue(T0 + 50);
    expect(batch?.entries.map((e) => e.key)).toEqual([1, 2]);
    expect(batch?.lineCount).toBe(6);
    expect(batch?.highKey).toBe(2);
    expect(assembler.msUntilDue(T0 + 50)).toBeUndefined();
  });

  it('when lines reach maxBatchLines, then the batch is due at once', () => {
    const assembler = createBatchAssembler({ maxBatchLines: 6, lingerMs: 50 });
    assembler.offer(entry(1, 3), T0);
    assembler.offer(entry(2, 3), T0);
    expect(assembler.freeLines()).toBe(0);
    expect(assembler.msUntilDue(T0)).toBe(0);
    expect(assembler.takeDue(T0)?.lineCount).toBe(6);
  });

  it('never splits a container: one that does not fit is refused and the batch is full', () => {
    const assembler = createBatchAssembler({ maxBatchLines: 10, lingerMs: 50 });
    assembler.offer(entry(1, 6), T0);
    expect(assembler.offer(entry(2, 5), T0)).toBe(false);
    expect(assembler.offer(entry(3, 1), T0)).toBe(false);
    expect(assembler.takeDue(T0)?.entries.map((e) => e.key)).toEqual([1]);
    expect(assembler.offer(entry(2, 5), T0 + 1)).toBe(true);
    expect(assembler.pendingHighKey()).toBe(2);
  });

  it('an empty batch takes a container larger than maxBatchLines whole', () => {
    const assembler = createBatchAssembler({ maxBatchLines: 4, lingerMs: 50 });
    expect(assembler.offer(entry(1, 9), T0)).toBe(true);
    expect(assembler.takeDue(T0)?.lineCount).toBe(9);
  });

  it('containers without lines ride along without filling the batch', () => {
    const assembler = createBatchAssembler({ maxBatchLines: 2, lingerMs: 50 });
    assembler.offer(entry(1, 0), T0);
    assembler.offer(entry(2, 0), T0);
    expect(assembler.freeLines()).toBe(2);
    expect(assembler.takeDue(T0 + 50)?.entries).toHaveLength(2);
  });

  it('the linger clock starts with the first entry of each batch', () => {
    const assembler = createBatchAssembler({ maxBatchLines: 10, lingerMs: 50 });
    assembler.offer(entry(1, 1), T0);
    assembler.takeDue(T0 + 50);
    assembler.offer(entry(2, 1), T0 + 100);
    expect(assembler.takeDue(T0 + 149)).toBeUndefined();
    expect(assembler.takeDue(T0 + 150)?.highKey).toBe(2);
  });

  it('clear() forgets what is pending', () => {
    const assembler = createBatchAssembler({ maxBatchLines: 10, lingerMs: 0 });
    assembler.offer(entry(1, 1), T0);
    assembler.clear();
    expect(assembler.pendingHighKey()).toBeUndefined();
    expect(assembler.takeDue(T0 + 1000)).toBeUndefined();
  });

  it('lingerMs 0 sends whatever is pending at once', () => {
    const assembler = createBatchAssembler({ maxBatchLines: 10, lingerMs: 0 });
    assembler.offer(entry(1, 1), T0);
    expect(assembler.takeDue(T0)?.lineCount).toBe(1);
  });
});
