// Text a PostgreSQL `text` column can hold, for request bodies' free-text fields. PostgreSQL
// refuses U+0000 in text ("invalid byte sequence for encoding UTF8: 0x00"), which surfaced as a
// 500 after the request had done its work; and JSON.parse lets "\ud800" through as an unpaired
// surrogate, which node-postgres would silently store as U+FFFD. Both are refused up front, as a
// 400 naming the field. jsonb refuses both as well ("unsupported Unicode escape sequence"), so text
// we store in jsonb without asking the client (an audit record's detail) goes through
// toStorableText instead.
import type { z } from 'zod';

export const STORABLE_TEXT_MESSAGE = 'must not contain U+0000 or an unpaired surrogate';

/** In a `u` regex a paired surrogate is one code point, so only an unpaired one is Cs. */
const UNPAIRED_SURROGATE = /\p{Cs}/u;

export function isStorableText(text: string): boolean {
  return !text.includes('\u0000') && !UNPAIRED_SURROGATE.test(text);
}

/** `schema` that also refuses what PostgreSQL cannot store. */
export function storableText<T extends z.ZodType<string>>(schema: T): T {
  return schema.refine(isStorableText, STORABLE_TEXT_MESSAGE);
}

/**
 * `text` with each U+0000 and unpaired surrogate replaced by U+FFFD, and at most `maxCodePoints`
 * code points (never half a surrogate pair): for text PostgreSQL must take whatever it holds.
 * U+FFFD rather than nothing, so that `a\0b` is not recorded as another, valid, `ab`.
 */
export function toStorableText(text: string, maxCodePoints = Infinity): string {
  const storable = text.replaceAll('\u0000', '\ufffd').replace(/\p{Cs}/gu, '\ufffd');
  if (storable.length <= maxCodePoints) return storable; // UTF-16 units ≥ code points
  return Array.from(storable).slice(0, maxCodePoints).join('');
}
