// Email addresses: which we accept, and the one form that makes an account unique.
// Internationalised addresses (RFC 6531: a UTF-8 local part; an IDN domain, RFC 5890) are accepted:
// `josé@example.org`, `用户@例子.广告`, `user@bücher.example`.
import { domainToASCII } from 'node:url';

// Letters, combining marks and digits of any script, plus the ASCII specials we always allowed
// (zod's default: _ ' + -); no leading, trailing or double dot, no trailing apostrophe. Invisible
// format characters, controls, spaces and symbols are refused, so that two accounts cannot differ
// by a character nobody sees.
const LOCAL_PART = String.raw`(?:[\p{L}\p{M}\p{N}_'+\-]+\.)*[\p{L}\p{M}\p{N}_'+\-]*[\p{L}\p{M}\p{N}_+\-]`;
// Labels as zod's default had them, generalised to letters, marks and digits of any script
// (U-labels, or A-labels such as xn--bcher-kva), so every ASCII address accepted before still is;
// the top-level label is letters (at least two) or an A-label (xn--p1ai).
const LABEL = String.raw`[\p{L}\p{N}][\p{L}\p{M}\p{N}\-]*`;
const TOP_LABEL = String.raw`(?:\p{L}[\p{L}\p{M}]+|xn--[A-Za-z0-9\-]+)`;
const EMAIL_ADDRESS = new RegExp(String.raw`^${LOCAL_PART}@(?:${LABEL}\.)+${TOP_LABEL}$`, 'u');

/** Whether `text` (already trimmed) is an address we accept: the shape above, and a domain IDNA can encode. */
export function isEmailAddress(text: string): boolean {
  return EMAIL_ADDRESS.test(text) && domainToASCII(text.slice(text.lastIndexOf('@') + 1)) !== '';
}

/**
 * The form by which emails are unique (users, invitations, the login throttle), so that the same
 * address typed two ways is one account:
 * - NFC (Unicode canonical composition): `é` typed as one code point or as `e` + U+0301 is one address;
 * - lower case by Unicode's default, locale-independent mapping (toLowerCase, never
 *   toLocaleLowerCase: a Turkish server must not fold `I` to `ı`), and Greek final sigma `ς` as `σ`,
 *   as case folding does, since `ΣΑΣ` lower-cases to `σας` but may be typed `σασ`. No full case
 *   folding: it would make `straße@…` and `strasse@…`, two mailboxes, one account;
 * - the domain as its IDNA A-label (`bücher.example` and `xn--bcher-kva.example` are one host; a
 *   browser's `type="email"` field sends the latter). ASCII addresses keep exactly the form they had
 *   (trimmed, lower-cased), so stored accounts still match.
 * Total: any string (login takes emails unchecked) gets a form; a domain IDNA refuses keeps its own.
 */
export function normaliseEmail(email: string): string {
  const folded = email.trim().normalize('NFC').toLowerCase().replaceAll('ς', 'σ').normalize('NFC');
  const at = folded.lastIndexOf('@');
  if (at < 0) return folded;
  const domain = domainToASCII(folded.slice(at + 1));
  return domain === '' ? folded : `${folded.slice(0, at + 1)}${domain}`;
}
