import { describe, expect, it } from 'vitest';
import { encodeContainer, type Measurement, type ReadingContainer } from '../../proto/container.js';
import { validateReadingsPublish, type ValidationLimits } from '../validate-container.js';

const NOW = Date.UTC(2026, 10, 22, 12);
const limits: ValidationLimits = {
  maxContainerBytes: 64 * 1024,
  maxMeasurementsPerContainer: 100,
  maxDeviceIdChars: 128,
  maxReadingAgeMs: 30 * 86_400_000,
  maxFutureSkewMs: 300_000,
};
const topic = { householdId: 'h-1', agentId: 'a-1', kind: 'readings' as const };
const measurement = (overrides: Partial<Measurement> = {}): Measurement => ({
  deviceId: 'fridge',
  quantity: 'power_w',
  value: 101.5,
  timestampMs: NOW - 1000,
  ...overrides,
});
const container = (overrides: Partial<ReadingContainer> = {}): ReadingContainer => ({
  householdId: 'h-1',
  agentId: 'a-1',
  seq: 7,
  createdAtMs: NOW,
  measurements: [measurement()],
  ...overrides,
});
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
    ['bad-value', container({ measurements: [measurement({ value: Number.NaN })] })],
    ['bad-value', container({ measurements: [measurement({ value: Number.POSITIVE_INFINITY })] })],
    ['bad-timestamp', container({ measurements: [measurement({ timestampMs: NOW + 600_000 })] })],
    ['bad-timestamp', container({ measurements: [measurement({ timestampMs: NOW - 31 * 86_400_000 })] })],
  ])('when the container is wrong, then the reason is %s', (reason, c) => {
    expect(reasonOf(c)).toBe(reason);
  });

  it('when the payload is over the byte limit, then it is refused before decoding', () => {
    const v = validateReadingsPublish(topic, new Uint8Array(limits.maxContainerBytes + 1), NOW, limits);
    expect(v.ok ? 'ok' : v.reason).toBe('too-large');
  });
});
