import { describe, expect, it } from 'vitest';
import { encodeContainer } from './container.js';
import { energymonitor } from './gen/readings.js';
import { countMeasurements } from './wire-cursor.js';
import { seededRandom } from '../test/support/seeded-random.js';
import { container, measurement } from '../test/support/container-fixtures.js';

/** What protobufjs decodes (the validator's and the write service's decoder), or undefined if it refuses. */
function decodedMeasurements(payload: Uint8Array): number | undefined {
  try {
    return energymonitor.v1.ReadingContainer.decode(payload).measurements.length;
  } catch {
    return undefined;
  }
}

describe('countMeasurements (the readings pace)', () => {
  it('when containers are as agents send them, then it counts exactly their measurements', () => {
    for (const n of [0, 1, 11, 1000]) {
      const payload = encodeContainer(container({ measurements: Array.from({ length: n }, (_, i) => measurement({ deviceId: `plug ${i}` })) }));
      expect(countMeasurements(payload)).toBe(n);
    }
  });

  it('when a payload hides measurements behind fields our reader cannot step over, then every 2 bytes left count as one', () => {
    const eleven = encodeContainer(container({ measurements: Array.from({ length: 11 }, () => measurement()) }));
    // An unknown field 6 as a 10-byte varint (protobufjs skips it) ahead of the container.
    const longVarint = Uint8Array.from([0x30, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x01, ...eleven]);
    expect(decodedMeasurements(longVarint)).toBe(11);
    expect(countMeasurements(longVarint)).toBe(11);
    // A group (wire type 3) ahead of it: protobufjs skips groups; this reader does not try.
    const group = Uint8Array.from([0x33, 0x34, ...eleven]);
    expect(decodedMeasurements(group)).toBe(11);
    expect(countMeasurements(group)).toBe(Math.ceil(group.length / 2));
  });

  it('when payloads are mutated at random, then it never counts fewer than protobufjs decodes', () => {
    const random = seededRandom(20261124);
    const base = encodeContainer(container({ measurements: Array.from({ length: 11 }, (_, i) => measurement({ deviceId: `d${i}` })) }));
    let decoded = 0;
    for (let round = 0; round < 20_000; round++) {
      let payload = Uint8Array.from(base);
      for (let flips = 1 + Math.floor(random() * 4); flips > 0; flips--) payload[Math.floor(random() * payload.length)] = Math.floor(random() * 256);
      if (random() < 0.3) {
        // A run of random bytes inserted: long varints, groups, fields protobufjs skips.
        const at = Math.floor(random() * payload.length);
        const run = Array.from({ length: 1 + Math.floor(random() * 12) }, () => (random() < 0.5 ? 0x80 | Math.floor(random() * 128) : Math.floor(random() * 256)));
        payload = Uint8Array.from([...payload.subarray(0, at), ...run, ...payload.subarray(at)]);
      }
      const cut = random() < 0.2 ? payload.subarray(0, Math.floor(random() * payload.length)) : payload;
      const expected = decodedMeasurements(cut);
      if (expected === undefined) continue;
      decoded++;
      expect(countMeasurements(cut)).toBeGreaterThanOrEqual(expected);
    }
    expect(decoded).toBeGreaterThan(1_000);
  });
});
