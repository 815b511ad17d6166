// How the operator's tool shows a dead letter: one line of text, or one JSON object per letter.
// The payload only when asked for, as hex, base64 or decoded (a container, else a text line).
import { decodeContainer } from '../../proto/container.js';
import type { DeadLetter } from './dead-letter-store.js';

export const PAYLOAD_FORMATS = ['hex', 'base64', 'decoded'] as const;
export type PayloadFormat = (typeof PAYLOAD_FORMATS)[number];

const utf8 = new TextDecoder('utf-8', { fatal: true });

// Part of a letter comes from whoever sent the refused input (a client id may hold any character
// but U+0000, a payload's household id anything): printed raw, a newline would forge a letter of
// its own and an escape sequence would drive the operator's terminal. JSON.stringify escapes C0
// controls; these it leaves are escaped too: DEL, C1 controls (U+009B is a CSI to some terminals),
// line and paragraph separators, bidirectional overrides and isolates.
const LEFT_UNESCAPED = /[\u007f-\u009f\u2028\u2029\u202a-\u202e\u2066-\u2069]/g;
const escapeUnicode = (char: string): string => `\\u${char.charCodeAt(0).toString(16).padStart(4, '0')}`;

/** `text` as a JSON string with nothing a terminal acts on left in it. */
export function quoted(text: string): string {
  return JSON.stringify(text).replace(LEFT_UNESCAPED, escapeUnicode);
}

/** An origin field: as it is when it is printable ASCII without spaces, quoted otherwise. */
function originText(text: string): string {
  return /^[\x21-\x7e]+$/.test(text) ? text : quoted(text);
}

/** The payload as a container, or as text (a line-protocol line), or why it is neither. */
export function decodePayload(letter: DeadLetter): { readonly container?: unknown; readonly text?: string; readonly error?: string } {
  try {
    return { container: decodeContainer(letter.payload) };
  } catch (error) {
    try {
      return { text: utf8.decode(letter.payload) };
    } catch {
      const why = error instanceof Error ? error.message : String(error);
      return { error: letter.payloadTruncated ? `${why} (payload truncated)` : why };
    }
  }
}

function payloadText(letter: DeadLetter, format: PayloadFormat): string {
  if (format === 'hex') return Buffer.from(letter.payload).toString('hex');
  if (format === 'base64') return Buffer.from(letter.payload).toString('base64');
  const decoded = decodePayload(letter);
  if (decoded.container !== undefined) return JSON.stringify(decoded.container).replace(LEFT_UNESCAPED, escapeUnicode);
  return decoded.text !== undefined ? quoted(decoded.text) : `(does not decode: ${decoded.error ?? ''})`;
}

function sizeText(letter: DeadLetter): string {
  return letter.payloadTruncated ? `${letter.payloadBytes}B (first ${letter.payload.byteLength}B kept)` : `${letter.payloadBytes}B`;
}

export function formatLetterLine(letter: DeadLetter, format?: PayloadFormat): string {
  const origin = [
    letter.clientId === undefined ? '' : `client=${originText(letter.clientId)}`,
    letter.correlationId === undefined ? '' : `cid=${originText(letter.correlationId)}`,
    letter.topic === undefined ? '' : `topic=${originText(letter.topic)}`,
  ].filter((part) => part !== '');
  const line = [new Date(letter.atMs).toISOString(), letter.source, originText(letter.reason), quoted(letter.detail), ...origin, `payload=${sizeText(letter)}`].join(' ');
  return format === undefined ? line : `${line}\n  ${payloadText(letter, format)}`;
}

export function letterJson(letter: DeadLetter, format?: PayloadFormat): Record<string, unknown> {
  const { payload: _payload, atMs, ...rest } = letter;
  const json: Record<string, unknown> = { ...rest, at: new Date(atMs).toISOString(), atMs };
  if (format === 'decoded') return { ...json, payload: decodePayload(letter) };
  if (format !== undefined) return { ...json, payload: payloadText(letter, format) };
  return json;
}
