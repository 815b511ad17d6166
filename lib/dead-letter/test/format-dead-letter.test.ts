// What the operator's tool prints comes partly from whoever sent the refused input: an MQTT client
// id may hold any character but U+0000 [MQTT-1.5.3-2], a payload's household id anything at all.
// Printed as they are, a newline forges a letter of its own and an escape sequence drives the
// operator's terminal (clears it, retitles it, hides text), so they are shown escaped.
import { describe, expect, it } from 'vitest';
import { encodeContainer } from '../../../proto/container.js';
import type { DeadLetter } from '../dead-letter-store.js';
import { formatLetterLine } from '../format-dead-letter.js';

const AT = Date.parse('2026-11-24T08:00:00Z');
const letter = (overrides: Partial<DeadLetter>): DeadLetter => ({
  id: 1,
  atMs: AT,
  source: 'broker',
  reason: 'decode',
  detail: 'not a ReadingContainer',
  payload: new Uint8Array([1, 2, 3]),
  payloadBytes: 3,
  payloadTruncated: false,
  ...overrides,
});

/** C0 and C1 controls, DEL, line and paragraph separators, bidirectional overrides and isolates. */
// eslint-disable-next-line no-control-regex -- finding control characters is the point
const UNPRINTABLE = /[\u0000-\u001f\u007f-\u009f\u2028\u2029\u202a-\u202e\u2066-\u2069]/;

describe('a dead letter as the operator sees it', () => {
  const forged = 'a-1\n2026-11-24T08:00:00.000Z broker decode "all fine" client=a-1\u001b[2J\u001b]0;owned\u0007\u009b31m\u202e';

  it('when the client id holds a newline and escape sequences, then the letter is one line with none of them, and the id is still readable', () => {
    const line = formatLetterLine(letter({ clientId: forged }));
    expect(line).not.toMatch(UNPRINTABLE);
    expect(line.split('\n')).toHaveLength(1);
    expect(line).toContain('client="a-1\\n2026-11-24T08:00:00.000Z broker decode');
    expect(line).toContain('\\u001b[2J');
  });

  it('when the detail or a decoded payload holds C1 controls or bidirectional overrides, then they are escaped too', () => {
    const payload = encodeContainer({ householdId: `h\u009b2J\u202e`, agentId: 'a-1', seq: 1, createdAtMs: AT, measurements: [] });
    const printed = formatLetterLine(letter({ detail: `household "h\u009b2J\u202e"`, payload, payloadBytes: payload.byteLength }), 'decoded');
    const [line, payloadLine, ...rest] = printed.split('\n');
    expect(rest).toEqual([]);
    expect(line).not.toMatch(UNPRINTABLE);
    expect(payloadLine).not.toMatch(UNPRINTABLE);
    expect(payloadLine).toContain('h\\u009b2J\\u202e');
  });

  it('when the origin is plain text, then it is shown as it is', () => {
    expect(formatLetterLine(letter({ clientId: 'a-1', topic: 'em/v1/h-1/a-1/readings' }))).toBe(
      '2026-11-24T08:00:00.000Z broker decode "not a ReadingContainer" client=a-1 topic=em/v1/h-1/a-1/readings payload=3B',
    );
  });
});
