// How the operator's tool shows a dead letter: one line of text, or one JSON object per letter.
// The payload only when asked for, as hex, base64 or decoded (a container, else a text line).
import { decodeContainer } from '../../proto/container.js';
import type { DeadLetter } from './dead-letter-store.js';

export const PAYLOAD_FORMATS = ['hex', 'base64', 'decoded'] as const;
export type PayloadFormat = (typeof PAYLOAD_FORMATS)[number];

const utf8 = new TextDecoder('utf-8', { fatal: true });

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
  if (decoded.container !== undefined) return JSON.stringify(decoded.container);
  return decoded.text !== undefined ? JSON.stringify(decoded.text) : `(does not decode: ${decoded.error ?? ''})`;
}

function sizeText(letter: DeadLetter): string {
  return letter.payloadTruncated ? `${letter.payloadBytes}B (first ${letter.payload.byteLength}B kept)` : `${letter.payloadBytes}B`;
}

export function formatLetterLine(letter: DeadLetter, format?: PayloadFormat): string {
  const origin = [
    letter.clientId === undefined ? '' : `client=${letter.clientId}`,
    letter.correlationId === undefined ? '' : `cid=${letter.correlationId}`,
    letter.topic === undefined ? '' : `topic=${letter.topic}`,
  ].filter((part) => part !== '');
  const line = [new Date(letter.atMs).toISOString(), letter.source, letter.reason, JSON.stringify(letter.detail), ...origin, `payload=${sizeText(letter)}`].join(' ');
  return format === undefined ? line : `${line}\n  ${payloadText(letter, format)}`;
}

export function letterJson(letter: DeadLetter, format?: PayloadFormat): Record<string, unknown> {
  const { payload: _payload, atMs, ...rest } = letter;
  const json: Record<string, unknown> = { ...rest, at: new Date(atMs).toISOString(), atMs };
  if (format === 'decoded') return { ...json, payload: decodePayload(letter) };
  if (format !== undefined) return { ...json, payload: payloadText(letter, format) };
  return json;
}
