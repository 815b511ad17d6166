import { describe, expect, it } from 'vitest';
import { summarizeSnapshot } from '../heap-summary.js';

describe('heap snapshot summary', () => {
  it('when nodes are summed, then objects group by constructor, closures by name, the rest by V8 type', () => {
    const snap = {
      snapshot: { meta: { node_fields: ['type', 'name', 'id', 'self_size'], node_types: [['hidden', 'array', 'string', 'object', 'code', 'closure']] as [string[]] } },
      // type, name (index into strings), id, self_size
      nodes: [3, 0, 1, 100, 3, 0, 2, 50, 5, 1, 3, 20, 2, 2, 4, 8, 2, 3, 5, 8],
      strings: ['Socket', 'onclose', 'abc', 'def'],
    };
    const { totalBytes, rows } = summarizeSnapshot(snap);
    expect(totalBytes).toBe(186);
    expect(rows).toEqual([
      { name: 'Socket', count: 2, bytes: 150 },
      { name: 'closure onclose', count: 1, bytes: 20 },
      { name: '(string)', count: 2, bytes: 16 },
    ]);
  });
});
