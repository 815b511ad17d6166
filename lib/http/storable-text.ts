// Text a PostgreSQL `text` column can hold, for request bodies' free-text fields. PostgreSQL
// refuses U+0000 in text ("invalid byte sequence for encoding UTF8: 0x00"), which surfaced as a
// 500 after the request had done its work; and JSON.parse lets "\ud800" through as an unpaired
// surrogate, which node-postgres would silently store as U+FFFD. Both are refused up front, as a
// 400 naming the field. jsonb refuses both as well ("unsupported Unicode escape sequence"), so text
// we store in jsonb without asking the client (an audit record's detail) goes through
// toStorableText instead.
//
// Names people give things and others see (a display name, a household's name) are held to more:
// one line of text that reads as it is stored (singleLineName).
import type { z } from 'zod';

export const STORABLE_TEXT_MESSAGE = 'must not contain U+0000 or an unpaired surrogate';

/** In a `u` regex a paired surrogate is one code point, so only an unpaired one is Cs. */
const UNPAIRED_SURROGATE = /\p{Cs}/u;

export function isStorableText(text: string): boolean {
  return !text.includes('\u0000') && !UNPAIRED_SURROGATE.test(text);
}

/** `schema` that also refuses what PostgreSQL cannot store. */
export function storableText<T extends z.ZodType<string>>(schema: T): T {
  // abort: a text that cannot be stored gets this one issue, not also singleLineName's.
  return schema.refine(isStorableText, { message: STORABLE_TEXT_MESSAGE, abort: true });
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

export const SINGLE_LINE_NAME_MESSAGE =
  'must be one line without control characters (U+0000–U+001F, U+007F–U+009F, U+2028, U+2029) or ' +
  'bidirectional embedding, override or isolate characters (U+202A–U+202E, U+2066–U+2069)';

/**
 * Cc: C0 and C1 controls (BEL, tab, newline, ESC, …) ring, break lines and drive terminals where
 * a name is shown or logged; U+2028/U+2029 break lines too. The embeddings, overrides and isolates
 * reorder the text after them (Trojan Source, CVE-2021-42574: U+202E then "gnp.exe" shows as
 * "exe.png"), so a name could show other members something else than it says. Left in: the marks
 * U+200E, U+200F and U+061C, which right-to-left names need and which move nothing but neutral
 * neighbours, and the zero-width joiner of emoji sequences.
 */
const NOT_IN_A_NAME = /[\p{Cc}\u2028\u2029\u202A-\u202E\u2066-\u2069]/u;

export function isSingleLineName(text: string): boolean {
  return isStorableText(text) && !NOT_IN_A_NAME.test(text);
}

/** `schema` for a name people see (storableText, and one line that shows what it says). */
export function singleLineName<T extends z.ZodType<string>>(schema: T): T {
  // storableText aborts first, so a text that cannot be stored never reaches this second issue.
  return storableText(schema).refine(isSingleLineName, SINGLE_LINE_NAME_MESSAGE);
}
