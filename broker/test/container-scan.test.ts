import { describe, expect, it } from 'vitest';
import { encodeContainer, type ReadingContainer } from '../../proto/container.js';
import { energymonitor } from '../../proto/gen/readings.js';
import { buildPayload, padToSize } from '../../loadtest/perftest/payload.js';
import { scanReadingsPublish } from '../container-scan.js';
import { checkReadingsPublish, validateReadingsPublish } from '../validate-container.js';
import { seededRandom } from '../../test/support/seeded-random.js';
import { container, limits, measurement, NOW, topic } from '../../test/support/container-fixtures.js';

const scan = (payload: Uint8Array): boolean => scanReadingsPublish(topic, payload, NOW, limits);

describe('scanReadingsPublish (the broker fast path)', () => {
  it('when containers are shaped as agents send them, then the scan accepts them without the full validator', () => {
    const devices = ['meter-main', 'plug 1', 'kitchen,plug=2', 'a\\b', 'x'.repeat(128)];
    const typical = container({
      measurements: devices.flatMap((deviceId) => [
        measurement({ deviceId, quantity: 'power_w', value: 0 }),
        measurement({ deviceId, quantity: 'energy_wh', value: 1.5e6 }),
        measurement({ deviceId, quantity: 'voltage_v', value: -3.25, timestampMs: NOW + 299_000 }),
      ]),
    });
    expect(scan(encodeContainer(typical))).toBe(true);
    expect(scan(encodeContainer(container({ createdAtMs: 0 })))).toBe(true);
    // The load generator's payloads, padded or not, with 11 readings.
    const generated = buildPayload({ householdId: 'h-1', agentId: 'a-1', baseMs: NOW - 5000 }, 3, 11, 0, NOW);
    expect(scan(generated)).toBe(true);
    expect(scan(padToSize(generated, 1024))).toBe(true);
  });

  it('when a payload is valid but unusual, then the scan declines and the full validator still accepts it', () => {
    const unusual = [
      encodeContainer(container({ measurements: [measurement({ deviceId: 'Küche' })] })),
      // The household field twice: protobuf keeps the last one.
      Uint8Array.from([0x0a, 0x01, 0x78, ...encodeContainer(container())]),
    ];
    for (const payload of unusual) {
      expect(scan(payload)).toBe(false);
      expect(checkReadingsPublish(topic, payload, NOW, limits)).toEqual({ ok: true });
    }
  });

  it('when a payload breaks a rule, then the scan declines and the full validator gives the reason', () => {
    const cases: [ReadingContainer, string][] = [
      [container({ householdId: 'h-2' }), 'topic-mismatch'],
      [container({ agentId: 'a-10' }), 'topic-mismatch'],
      [container({ seq: 0 }), 'bad-seq'],
      [container({ measurements: [] }), 'no-measurements'],
      [container({ measurements: Array.from({ length: 101 }, () => measurement()) }), 'too-many-measurements'],
      [container({ measurements: [measurement({ deviceId: '' })] }), 'bad-device-id'],
      [container({ measurements: [measurement({ deviceId: 'ends\\' })] }), 'bad-device-id'],
      [container({ measurements: [measurement({ deviceId: 'line\nfeed' })] }), 'bad-device-id'],
      [container({ measurements: [measurement({ deviceId: 'meter#!~#value' })] }), 'bad-device-id'],
      [container({ createdAtMs: -5 }), 'bad-timestamp'],
      [container({ createdAtMs: NOW + 3_600_000 }), 'bad-timestamp'],
      [container({ measurements: [measurement({ deviceId: 'del\u007f' })] }), 'bad-device-id'],
      [container({ measurements: [measurement({ deviceId: 'y'.repeat(129) })] }), 'bad-device-id'],
      [container({ measurements: [measurement(), measurement({ deviceId: 'ok', value: Number.NaN })] }), 'bad-value'],
      [container({ measurements: [measurement({ value: Number.POSITIVE_INFINITY })] }), 'bad-value'],
      [container({ measurements: [measurement({ value: Number.NEGATIVE_INFINITY })] }), 'bad-value'],
      [container({ measurements: [measurement({ timestampMs: NOW + 300_001 })] }), 'bad-timestamp'],
      [container({ measurements: [measurement({ timestampMs: NOW - 30 * 86_400_000 - 1 })] }), 'bad-timestamp'],
      [container({ measurements: [measurement({ timestampMs: 0 })] }), 'bad-timestamp'],
    ];
    for (const [c, reason] of cases) {
      const payload = encodeContainer(c);
      expect(scan(payload), reason).toBe(false);
      expect(checkReadingsPublish(topic, payload, NOW, limits)).toMatchObject({ ok: false, reason });
    }
    // Structural: an unknown quantity, a missing one, a known field with another wire type, truncation.
    const raw = (m: energymonitor.v1.IMeasurement): Uint8Array =>
      energymonitor.v1.ReadingContainer.encode({ householdId: 'h-1', agentId: 'a-1', seq: 1, measurements: [{ deviceId: 'd', value: 1, timestampMs: NOW, ...m }] }).finish();
    for (const payload of [raw({ quantity: 99 as energymonitor.v1.Quantity }), raw({ quantity: energymonitor.v1.Quantity.QUANTITY_UNSPECIFIED }), Uint8Array.of(0x08, 0x01), encodeContainer(container()).subarray(0, 20)]) {
      expect(scan(payload)).toBe(false);
      expect(checkReadingsPublish(topic, payload, NOW, limits).ok).toBe(false);
    }
  });

  it('when payloads are mutated at random, then the scan never accepts one the full validator refuses', () => {
    const next = seededRandom(20261123);
    // Mostly the first (valid) item, else any: enough valid payloads to mutate and to accept.
    const pick = <T>(items: readonly T[]): T => (next() < 0.8 ? items[0] : items[Math.floor(next() * items.length)]) as T;
    const ids = ['fridge', 'plug 1', 'ends\\', '', 'Küche', 'a=b,c', 'x'.repeat(129), 'tab\t', '\uD800'];
    const values = [0, 1.5, -2, Number.NaN, Number.POSITIVE_INFINITY, 1e308, 5e-324];
    const stamps = [NOW, NOW - 1000, NOW + 300_001, 0, NOW - 31 * 86_400_000, 2 ** 53 - 1];
    let accepted = 0;
    let mutatedAccepted = 0;
    for (let i = 0; i < 4000; i++) {
      const measurements = Array.from({ length: 1 + Math.floor(next() * 4) }, () =>
        measurement({ deviceId: pick(ids), value: pick(values), timestampMs: pick(stamps), quantity: pick(['power_w', 'energy_wh'] as const) }),
      );
      const base = encodeContainer(container({ seq: pick([1, 7, 2 ** 40]), householdId: pick(['h-1', 'h-1', 'h-2']), measurements }));
      const payload = Uint8Array.from(base);
      // Half of them get 1–3 random byte changes: flips, truncation, trailing junk.
      const mutate = next() < 0.5;
      for (let m = 0; mutate && m < 1 + Math.floor(next() * 3); m++) {
        const at = Math.floor(next() * payload.length);
        payload[at] = Math.floor(next() * 256);
      }
      const candidates = [payload, payload.subarray(0, Math.floor(next() * payload.length)), Uint8Array.from([...payload, Math.floor(next() * 256), Math.floor(next() * 256)])];
      for (const candidate of candidates) {
        if (!scan(candidate)) continue;
        accepted++;
        if (mutate) mutatedAccepted++;
        expect(validateReadingsPublish(topic, candidate, NOW, limits).ok, Buffer.from(candidate).toString('hex')).toBe(true);
      }
    }
    // The property is only worth something if the scan accepted many, mutated ones among them.
    expect(accepted).toBeGreaterThan(500);
    expect(mutatedAccepted).toBeGreaterThan(50);
  });
});
