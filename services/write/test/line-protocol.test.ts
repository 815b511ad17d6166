import { describe, expect, it } from 'vitest';
import {
  appendContainerLines,
  containerToLines,
  escapeFieldKey,
  escapeMeasurement,
  escapeTagKey,
  escapeTagValue,
  formatFloat,
  formatInteger,
  formatStringField,
  MAX_TAG_VALUE_BYTES,
  tagValueProblem,
  holdsSeriesFieldSeparator,
  UnstorableContainerError,
} from '../line-protocol.js';
import { makeContainer } from './fakes.js';

describe('escaping (line-protocol reference: which characters each element escapes)', () => {
  it('measurement: comma and space, nothing else', () => {
    expect(escapeMeasurement('a,b c')).toBe('a\\,b\\ c');
    expect(escapeMeasurement('a=b"c\\d')).toBe('a=b"c\\d');
  });

  it('tag keys, tag values and field keys: comma, equals sign and space', () => {
    for (const escape of [escapeTagKey, escapeTagValue, escapeFieldKey]) {
      expect(escape('a,b=c d')).toBe('a\\,b\\=c\\ d');
      expect(escape(',= ')).toBe('\\,\\=\\ ');
    }
  });

  it('tag values: a backslash stays as it is, also before an escaped character (1.6.7 has no \\\\ escape)', () => {
    expect(escapeTagValue('a\\b')).toBe('a\\b');
    expect(escapeTagValue('a\\,b')).toBe('a\\\\,b');
    expect(escapeTagValue('a\\ b')).toBe('a\\\\ b');
  });

  it('tag values: quotes, tabs, control characters and non-ASCII are not escaped', () => {
    for (const value of ['a"b', "a'b", 'a\tb', 'a\rb', 'a\u0000b', 'ümlaut', '日本語', 'emoji😀']) {
      expect(escapeTagValue(value)).toBe(value);
    }
  });

  it('returns the same string when nothing needs escaping', () => {
    const plain = 'plug-1_kitchen';
    expect(escapeTagValue(plain)).toBe(plain);
  });

  it('string field values: double-quoted, with " and \\ escaped', () => {
    expect(formatStringField('say "hi"\\')).toBe('"say \\"hi\\"\\\\"');
    expect(formatStringField('a,b=c d')).toBe('"a,b=c d"');
  });
});

describe('number formatting', () => {
  it('floats use the shortest round-trip form, exponents included', () => {
    const cases: [number, string][] = [
      [0, '0'],
      [-0, '0'],
      [1, '1'],
      [-1.5, '-1.5'],
      [0.1, '0.1'],
      [1e21, '1e+21'],
      [5e-324, '5e-324'],
      [1.7976931348623157e308, '1.7976931348623157e+308'],
      [1e-7, '1e-7'],
      [123456789012345680000, '123456789012345680000'],
    ];
    for (const [value, text] of cases) {
      expect(formatFloat(value)).toBe(text);
      expect(Number(formatFloat(value))).toBe(value === 0 ? 0 : value);
    }
  });

  it('an integer-valued float has no i suffix (it stays a float field)', () => {
    expect(formatFloat(230)).toBe('230');
  });

  it('integers take the i suffix', () => {
    expect(formatInteger(42)).toBe('42i');
    expect(formatInteger(-7)).toBe('-7i');
    expect(formatInteger(9007199254740991)).toBe('9007199254740991i');
  });
});

describe('tagValueProblem', () => {
  it.each([
    ['', /empty/],
    ['a\\', /backslash/],
    ['\\', /backslash/],
    ['a\\\\', /backslash/],
    ['a\nb', /line feed/],
    ['a\uD800b', /surrogate/],
    ['\uDC00', /surrogate/],
    ['meter#!~#value', /another series/],
    ['#!~#', /another series/],
  ])('refuses %j', (value, reason) => {
    expect(tagValueProblem(value)).toMatch(reason);
  });

  it.each(['plug 1', 'a,b', 'a=b', 'a\\b', '\\a', 'a\\,b', 'a\\ b', 'a\\=b', '\\ ', ' ', 'a"b', 'a\rb', 'a\tb', 'a\u0000b', 'ümlaut', 'emoji😀'])(
    'accepts %j',
    (value) => {
      expect(tagValueProblem(value)).toBeUndefined();
    },
  );

  it('limits the escaped UTF-8 length so that three such values fit a 65535-byte series key', () => {
    expect(MAX_TAG_VALUE_BYTES * 3 + 70).toBeLessThanOrEqual(65_535);
    expect(tagValueProblem('a'.repeat(MAX_TAG_VALUE_BYTES))).toBeUndefined();
    expect(tagValueProblem('a'.repeat(MAX_TAG_VALUE_BYTES + 1))).toMatch(/series key/);
    // Escaping and multi-byte characters count.
    expect(tagValueProblem(' '.repeat(MAX_TAG_VALUE_BYTES / 2 + 1))).toMatch(/series key/);
    expect(tagValueProblem('ü'.repeat(MAX_TAG_VALUE_BYTES / 2 + 1))).toMatch(/series key/);
  });

  it('accepts the separator\'s parts apart', () => {
    for (const value of ['#!~', '!~#', '#!~ #', 'a#b!c~d#']) expect(tagValueProblem(value)).toBeUndefined();
  });
});

describe('holdsSeriesFieldSeparator', () => {
  it('finds "#!~#" only inside the given range', () => {
    const bytes = Buffer.from('ab#!~#cd');
    expect(holdsSeriesFieldSeparator(bytes, 0, bytes.length)).toBe(true);
    expect(holdsSeriesFieldSeparator(bytes, 2, 4)).toBe(true);
    expect(holdsSeriesFieldSeparator(bytes, 2, 3)).toBe(false);
    expect(holdsSeriesFieldSeparator(bytes, 3, 5)).toBe(false);
    expect(holdsSeriesFieldSeparator(Buffer.from('#!~'), 0, 3)).toBe(false);
  });
});

describe('containerToLines', () => {
  it.each([
    ['a line feed in a device id', makeContainer(1, ['x\nevil'])],
    ['"#!~#" in a device id', makeContainer(1, ['meter#!~#value'])],
    ['a trailing backslash in the agent id', { ...makeContainer(1), agentId: 'a\\' }],
  ])('refuses a container with %s instead of writing a line InfluxDB would misread', (_what, container) => {
    expect(() => containerToLines(container)).toThrow(UnstorableContainerError);
  });

  it('writes measurement `reading`, tags sorted by key, value as float, seq as integer, ms timestamp', () => {
    const container = {
      ...makeContainer(7),
      measurements: [{ deviceId: 'plug-1', quantity: 'power_w' as const, value: 230, timestampMs: 1_700_000_000_123 }],
    };
    expect(containerToLines(container)).toEqual([
      'reading,agent=a1,device=plug-1,household=h1,quantity=power_w value=230,seq=7i 1700000000123',
    ]);
  });

  it('escapes hostile device ids and emits one line per measurement', () => {
    const lines = containerToLines(makeContainer(3, ['kitchen plug', 'a,b=c', 'a\\,b']));
    expect(lines).toEqual([
      'reading,agent=a1,device=kitchen\\ plug,household=h1,quantity=power_w value=3,seq=3i 1700000000000',
      'reading,agent=a1,device=a\\,b\\=c,household=h1,quantity=power_w value=3.1,seq=3i 1700000000001',
      'reading,agent=a1,device=a\\\\,b,household=h1,quantity=power_w value=3.2,seq=3i 1700000000002',
    ]);
  });

  it('escapes each of several measurements of the same device the same way', () => {
    const lines = containerToLines(makeContainer(1, ['x y', 'x y', 'z']));
    expect(lines.map((l) => l.split(',')[2])).toEqual(['device=x\\ y', 'device=x\\ y', 'device=z']);
  });

  it('appends to an existing buffer', () => {
    const out = ['first'];
    appendContainerLines(makeContainer(2, ['d1', 'd2']), out);
    expect(out).toHaveLength(3);
  });

  it('a container without measurements has no lines', () => {
    expect(containerToLines({ ...makeContainer(1), measurements: [] })).toEqual([]);
  });
});
