import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { isSingleLineName, isStorableText, SINGLE_LINE_NAME_MESSAGE, singleLineName, STORABLE_TEXT_MESSAGE, storableText, toStorableText } from '../storable-text.js';

describe('storableText', () => {
  it.each([
    ['plain text', 'Kitchen', true],
    ['non-ASCII and a surrogate pair', 'Küche 🔌', true],
    ['SQL metacharacters', "Robert'); DROP TABLE users;--", true],
    ['U+0000', 'a\u0000b', false],
    ['an unpaired high surrogate', 'a\ud800b', false],
    ['an unpaired low surrogate', '\udc00', false],
  ])('when the text is %s, then storable is %s', (_what, text, storable) => {
    expect(isStorableText(text)).toBe(storable);
  });

  it('when a field refuses, then the issue names the path and keeps the schema\'s own checks', () => {
    const body = z.object({ name: storableText(z.string().trim().min(1).max(5)) });
    expect(body.safeParse({ name: ' ok ' })).toEqual({ success: true, data: { name: 'ok' } });
    expect(body.safeParse({ name: 'toolong' }).success).toBe(false);
    const refused = body.safeParse({ name: 'a\u0000' });
    expect(refused.error?.issues[0]).toMatchObject({ path: ['name'], message: 'must not contain U+0000 or an unpaired surrogate' });
  });
});

describe('toStorableText', () => {
  it.each([
    ['plain text', 'Kitchen', Infinity, 'Kitchen'],
    ['U+0000 and unpaired surrogates', 'a\u0000b\ud800c\udc00', Infinity, 'a\ufffdb\ufffdc\ufffd'],
    ['a surrogate pair that a UTF-16 cut would split', `${'a'.repeat(63)}\u{1F600}b`, 64, `${'a'.repeat(63)}\u{1F600}`],
    ['a text of pairs only', '\u{1F600}'.repeat(10), 3, '\u{1F600}'.repeat(3)],
    ['a text at the limit', 'abc', 3, 'abc'],
  ])('when the text is %s, then it is stored as jsonb takes it', (_what, text, max, stored) => {
    expect(toStorableText(text, max)).toBe(stored);
    expect(isStorableText(toStorableText(text, max))).toBe(true);
  });
});

describe('singleLineName', () => {
  it.each([
    ['accents', 'Zoë Ångström'],
    ['CJK', '山田 太郎'],
    ['an emoji sequence with a zero-width joiner', 'Home 👨‍👩‍👧'],
    ['right-to-left text with its marks', 'بيت\u200F 2'],
    ['SQL metacharacters', "Robert'); DROP TABLE users;--"],
  ])('when the name holds %s, then it passes', (_what, name) => {
    expect(isSingleLineName(name)).toBe(true);
  });

  it.each([
    ['BEL', 'a\u0007b'],
    ['a newline', 'first\nsecond'],
    ['a tab', 'a\tb'],
    ['ESC (a terminal sequence)', '\u001b[31mred'],
    ['DEL', 'a\u007fb'],
    ['a C1 control', 'a\u0085b'],
    ['a line separator', 'a\u2028b'],
    ['a right-to-left override', 'invoice\u202Egnp.exe'],
    ['a left-to-right embedding', 'a\u202Ab'],
    ['a first-strong isolate', 'a\u2068b'],
    ['a pop directional isolate', 'a\u2069b'],
  ])('when the name holds %s, then it is refused', (_what, name) => {
    expect(isSingleLineName(name)).toBe(false);
  });

  it('when a field refuses, then one issue names the path and says why', () => {
    const body = z.object({ name: singleLineName(z.string().trim().min(1).max(20)) });
    expect(body.safeParse({ name: ' Zoë \n' })).toEqual({ success: true, data: { name: 'Zoë' } });
    expect(body.safeParse({ name: 'a\u202Eb' }).error?.issues).toEqual([expect.objectContaining({ path: ['name'], message: SINGLE_LINE_NAME_MESSAGE })]);
    // U+0000 is a control character too, but gets only the storable-text issue.
    expect(body.safeParse({ name: 'a\u0000b' }).error?.issues).toEqual([expect.objectContaining({ path: ['name'], message: STORABLE_TEXT_MESSAGE })]);
  });
});
