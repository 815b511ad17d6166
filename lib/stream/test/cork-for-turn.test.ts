import { Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { corkForTurn } from '../cork-for-turn.js';

/** A stream that records each batch its writes reach the sink in. */
function recorder(): { stream: Writable; batches: string[][] } {
  const batches: string[][] = [];
  const stream = new Writable({
    write(chunk: Buffer, _encoding, callback) {
      batches.push([chunk.toString()]);
      callback();
    },
    writev(chunks, callback) {
      batches.push(chunks.map(({ chunk }) => (chunk as Buffer).toString()));
      callback();
    },
  });
  return { stream, batches };
}

describe('corkForTurn', () => {
  it('when writes are made in one turn, then they reach the sink together, and the next turn writes anew', async () => {
    const { stream, batches } = recorder();
    for (const text of ['a', 'b', 'c']) {
      corkForTurn(stream);
      stream.write(text);
    }
    await Promise.resolve().then(() => {
      corkForTurn(stream);
      stream.write('d'); // a promise continuation of the same turn
    });
    await new Promise((resolve) => setImmediate(resolve));
    corkForTurn(stream);
    stream.write('e');
    await new Promise((resolve) => setImmediate(resolve));
    expect(batches).toEqual([['a', 'b', 'c', 'd'], ['e']]);
    expect(stream.writableCorked).toBe(0);
  });
});
