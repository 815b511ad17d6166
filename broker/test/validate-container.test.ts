import { describe, expect, it } from 'vitest';
import { encodeContainer, type ReadingContainer } from '../../proto/container.js';
import { validateReadingsPublish } from '../validate-container.js';
import { container, limits, measurement, NOW, topic } from '../../test/support/container-fixtures.js';

const check = (c: ReadingContainer) => validateReadingsPublish(topic, encodeContainer(c), NOW, limits);
const reasonOf = (c: ReadingContainer) => {
  const v = check(c);
  return v.ok ? 'ok' : v.reason;
};

describe('validateReadingsPublish', () => {
  it('when the container is well-formed, then it is accepted as decoded', () => {
    const v = check(container());
    expect(v.ok && v.container.measurements[0]).toEqual(measurement());
  });

  it('when device ids hold spaces, commas, equals signs, backslashes and non-ASCII, then they are accepted', () => {
    const ids = ['living room', 'a,b', 'k=v', 'c:\\plugs\\tv', 'Küche ☕ 冷蔵庫'];
    expect(reasonOf(container({ measurements: ids.map((deviceId) => measurement({ deviceId })) }))).toBe('ok');
  });

  it('when the bytes are not a container, then the reason is decode', () => {
    const v = validateReadingsPublish(topic, Uint8Array.from([0xff, 0xff, 0xff]), NOW, limits);
    expect(v.ok ? 'ok' : v.reason).toBe('decode');
  });

  it("when the payload names another household or agent than the topic, then it is a topic-mismatch", () => {
    expect(reasonOf(container({ householdId: 'h-2' }))).toBe('topic-mismatch');
    expect(reasonOf(container({ agentId: 'a-2' }))).toBe('topic-mismatch');
  });

  it.each([
    ['bad-seq', container({ seq: 0 })],
    ['no-measurements', container({ measurements: [] })],
    ['too-many-measurements', container({ measurements: Array.from({ length: 101 }, () => measurement()) })],
    ['bad-device-id', container({ measurements: [measurement({ deviceId: '' })] })],
    ['bad-device-id', container({ measurements: [measurement({ deviceId: 'x'.repeat(129) })] })],
    ['bad-device-id', container({ measurements: [measurement({ deviceId: 'line\nbreak' })] })],
    ['bad-device-id', container({ measurements: [measurement({ deviceId: 'meter#!~#value' })] })],
    ['bad-value', container({ measurements: [measurement({ value: Number.NaN })] })],
    ['bad-value', container({ measurements: [measurement({ value: Number.POSITIVE_INFINITY })] })],
    ['bad-timestamp', container({ measurements: [measurement({ timestampMs: NOW + 600_000 })] })],
    ['bad-timestamp', container({ measurements: [measurement({ timestampMs: NOW - 31 * 86_400_000 })] })],
    ['bad-timestamp', container({ createdAtMs: 1 })],
    ['bad-timestamp', container({ createdAtMs: NOW + 600_000 })],
  ])('when the container is wrong, then the reason is %s', (reason, c) => {
    expect(reasonOf(c)).toBe(reason);
  });

  it('when created_at_ms is 0 (not stated) or inside the window, then it is accepted', () => {
    expect(reasonOf(container({ createdAtMs: 0 }))).toBe('ok');
    expect(reasonOf(container({ createdAtMs: NOW - 86_400_000 }))).toBe('ok');
  });

  it('when a device id is not valid UTF-8, then the reason is decode, not a silently replaced id', () => {
    // A lone byte ≥ 0x80, a UTF-16 surrogate encoded as UTF-8 (CESU-8), an overlong '/'.
    for (const invalid of [[0xff], [0xed, 0xa0, 0x80], [0xc0, 0xaf]]) {
      const placeholder = 'X'.repeat(invalid.length);
      const payload = Buffer.from(encodeContainer(container({ measurements: [measurement({ deviceId: `sur${placeholder}x` })] })));
      payload.set(invalid, payload.indexOf(placeholder)); // same length: every length field stays right
      const v = validateReadingsPublish(topic, payload, NOW, limits);
      expect(v.ok ? 'ok' : `${v.reason}: ${v.detail}`).toBe('decode: not a ReadingContainer: a string field is not valid UTF-8');
    }
  });

  it('when the payload is over the byte limit, then it is refused before decoding', () => {
    const v = validateReadingsPublish(topic, new Uint8Array(limits.maxContainerBytes + 1), NOW, limits);
    expect(v.ok ? 'ok' : v.reason).toBe('too-large');
  });
});
