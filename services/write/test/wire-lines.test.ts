import { describe, expect, it } from 'vitest';
import { decodeContainer, encodeContainer } from '../../../proto/container.js';
import { energymonitor } from '../../../proto/gen/readings.js';
import { buildPayload, padToSize } from '../../../loadtest/perftest/payload.js';
import { container, measurement, NOW } from '../../../test/support/container-fixtures.js';
import { seededRandom } from '../../../test/support/seeded-random.js';
import { readingSpanOf } from '../journal-entry-lines.js';
import { containerToLines } from '../line-protocol.js';
import { linesBody } from '../line-slabs.js';
import { containerLinesFromWire } from '../wire-lines.js';

/** The protobufjs path the fast path must agree with, byte for byte (text for readable failures). */
function slowPath(bytes: Uint8Array): Record<string, unknown> {
  const decoded = decodeContainer(bytes);
  const lines = containerToLines(decoded);
  return { text: lines.join('\n'), lineCount: lines.length, createdAtMs: decoded.createdAtMs, ...readingSpanOf(decoded) };
}

function fastPath(bytes: Uint8Array): Record<string, unknown> | undefined {
  const fast = containerLinesFromWire(bytes);
  if (fast === undefined) return undefined;
  const { bytes: lineBytes, ...rest } = fast;
  // Checked as UTF-8 (fatal): the bytes must decode to exactly the slow path's text.
  return { text: new TextDecoder('utf-8', { fatal: true }).decode(lineBytes), ...rest };
}

describe('containerLinesFromWire (the write service fast path)', () => {
  it('when containers are shaped as agents send them, then it writes exactly the lines of the protobufjs path', () => {
    const devices = ['meter-main', 'plug 1', 'kitchen,plug=2', 'a\\b', ' lead', 'x'.repeat(128)];
    const typical = container({
      seq: 2 ** 40,
      measurements: devices.flatMap((deviceId) => [
        measurement({ deviceId, quantity: 'power_w', value: 0 }),
        measurement({ deviceId, quantity: 'energy_wh', value: 1.5e6 }),
        measurement({ deviceId, quantity: 'voltage_v', value: -3.25, timestampMs: NOW + 299_000 }),
        measurement({ deviceId, quantity: 'power_factor', value: 5e-324 }),
        measurement({ deviceId, quantity: 'temperature_c', value: -0 }),
      ]),
    });
    const generated = buildPayload({ householdId: 'h-1', agentId: 'a-1', baseMs: NOW - 5000 }, 3, 11, 0, NOW);
    for (const bytes of [
      encodeContainer(typical),
      encodeContainer(container({ createdAtMs: 0, householdId: 'h=1, x', agentId: 'a b' })),
      encodeContainer(container({ measurements: [] })),
      generated,
      padToSize(generated, 2048),
    ]) {
      const fast = fastPath(bytes);
      expect(fast).toBeDefined();
      expect(fast).toEqual(slowPath(bytes));
    }
    // Each result keeps its own bytes: later containers are written after it, never over it.
    const kept = [encodeContainer(typical), generated].map((bytes) => containerLinesFromWire(bytes)!.bytes);
    expect(kept[0]!.toString('utf8')).toBe(slowPath(encodeContainer(typical))['text']);
    expect(fastPath(encodeContainer(typical))?.['text']).toContain('device=kitchen\\,plug\\=2,household=h-1,quantity=power_w value=0,seq=1099511627776i ');
  });

  it('when a container is unusual, then it declines and leaves it to the protobufjs path', () => {
    const raw = (m: energymonitor.v1.IMeasurement): Uint8Array =>
      energymonitor.v1.ReadingContainer.encode({ householdId: 'h-1', agentId: 'a-1', seq: 1, measurements: [{ deviceId: 'd', value: 1, timestampMs: NOW, quantity: 1, ...m }] }).finish();
    const declined = [
      encodeContainer(container({ measurements: [measurement({ deviceId: 'Küche' })] })),
      encodeContainer(container({ measurements: [measurement({ deviceId: 'tab\there' })] })),
      encodeContainer(container({ createdAtMs: -5 })),
      // The household field twice: protobuf keeps the last one.
      Uint8Array.from([0x0a, 0x01, 0x78, ...encodeContainer(container())]),
      raw({ quantity: 99 as energymonitor.v1.Quantity }),
      raw({ deviceId: '' }),
      // No timestamp (proto3 would read 0): declined, the protobufjs path writes that line.
      energymonitor.v1.ReadingContainer.encode({ householdId: 'h-1', agentId: 'a-1', seq: 1, measurements: [{ deviceId: 'd', quantity: 1, value: 2 }] }).finish(),
      encodeContainer(container({ householdId: '' })),
      encodeContainer(container({ householdId: 'Küche' })),
      encodeContainer(container({ agentId: 'tab\there' })),
      // InfluxDB's series/field separator: the protobufjs path refuses it (UnstorableContainerError).
      encodeContainer(container({ measurements: [measurement({ deviceId: 'meter#!~#value' })] })),
      encodeContainer(container({ measurements: [measurement({ deviceId: '#!~#' })] })),
      encodeContainer(container()).subarray(0, 20),
    ];
    for (const bytes of declined) expect(fastPath(bytes), Buffer.from(bytes).toString('hex')).toBeUndefined();
    // The value field absent: proto3 reads it as 0, and so does the fast path.
    const noValue = energymonitor.v1.ReadingContainer.encode({ householdId: 'h-1', agentId: 'a-1', seq: 1, measurements: [{ deviceId: 'd', quantity: 1, timestampMs: NOW }] }).finish();
    expect(fastPath(noValue)).toEqual(slowPath(noValue));
  });

  it('when payloads are mutated at random, then whatever it writes is what the protobufjs path writes', () => {
    const next = seededRandom(20261124);
    const pick = <T>(items: readonly T[]): T => (next() < 0.7 ? items[0] : items[Math.floor(next() * items.length)]) as T;
    const ids = ['fridge', 'plug 1', 'a=b,c', 'ends\\', 'Küche', '', 'tab\t', '\uD800'];
    const values = [101.5, 0, -2, Number.NaN, Number.POSITIVE_INFINITY, 1e308, 5e-324, 1 / 3];
    const stamps = [NOW, NOW - 1000, 0, 2 ** 53 - 1];
    let written = 0;
    let mutatedWritten = 0;
    for (let i = 0; i < 4000; i++) {
      const measurements = Array.from({ length: Math.floor(next() * 5) }, () =>
        measurement({ deviceId: pick(ids), value: pick(values), timestampMs: pick(stamps), quantity: pick(['power_w', 'energy_wh', 'frequency_hz'] as const) }),
      );
      const payload = Uint8Array.from(encodeContainer(container({ seq: pick([7, 1, 2 ** 40]), householdId: pick(['h-1', 'h x', 'h,=']), measurements })));
      const mutate = next() < 0.5;
      for (let m = 0; mutate && m < 1 + Math.floor(next() * 3); m++) payload[Math.floor(next() * payload.length)] = Math.floor(next() * 256);
      const candidates = [payload, payload.subarray(0, Math.floor(next() * payload.length)), Uint8Array.from([...payload, Math.floor(next() * 256), Math.floor(next() * 256)])];
      for (const candidate of candidates) {
        const fast = fastPath(candidate);
        if (fast === undefined) continue;
        written++;
        if (mutate) mutatedWritten++;
        expect(fast, Buffer.from(candidate).toString('hex')).toEqual(slowPath(candidate));
      }
    }
    // Only worth something if the fast path wrote many, mutated ones among them.
    expect(written).toBeGreaterThan(1000);
    expect(mutatedWritten).toBeGreaterThan(100);
  });
});

describe('linesBody (a batch body from containers\' lines)', () => {
  const payloads = Array.from({ length: 3 }, (_, i) => buildPayload({ householdId: `h-${i}`, agentId: `a-${i}`, baseMs: NOW - 5000 }, i + 1, 11, 0, NOW));
  const expected = payloads.map((bytes) => slowPath(bytes)['text']).join('\n');

  it('when containers were written one after another, then the body is their lines joined, without a copy', () => {
    const parts = payloads.map((bytes) => containerLinesFromWire(bytes)!.bytes);
    const body = linesBody(parts);
    expect(body.toString('utf8')).toBe(expected);
    expect(body.buffer).toBe(parts[0]!.buffer);
  });

  it('when lines come from elsewhere or are empty, then they are copied together with one newline between lines', () => {
    const fast = payloads.map((bytes) => containerLinesFromWire(bytes)!.bytes);
    const empty = containerLinesFromWire(encodeContainer(container({ measurements: [] })))!.bytes;
    expect(empty.byteLength).toBe(0);
    // A protobufjs-path container between two written in place, and empty ones anywhere.
    const foreign = Buffer.from(slowPath(payloads[1]!)['text'] as string, 'utf8');
    const body = linesBody([empty, fast[0]!, empty, foreign, fast[2]!, Buffer.alloc(0)]);
    expect(body.toString('utf8')).toBe(expected);
    expect(body.buffer).not.toBe(fast[0]!.buffer);
    expect(linesBody([]).byteLength).toBe(0);
    expect(linesBody([foreign]).toString('utf8')).toBe(slowPath(payloads[1]!)['text']);
  });

  it('when the lines fill their memory and more is taken, then earlier lines stay intact and joined bodies stay exact', () => {
    const big = encodeContainer(container({ measurements: Array.from({ length: 500 }, (_, i) => measurement({ deviceId: `device ${'x'.repeat(200)} ${i}` })) }));
    const bigText = slowPath(big)['text'] as string;
    // Each container's lines are over 100 KB: 30 of them cross at least two 1 MiB slabs.
    const kept = Array.from({ length: 30 }, () => containerLinesFromWire(big)!.bytes);
    for (const bytes of kept) expect(bytes.toString('utf8')).toBe(bigText);
    expect(new Set(kept.map((bytes) => bytes.buffer)).size).toBeGreaterThan(2);
    expect(linesBody(kept).toString('utf8')).toBe(Array.from({ length: 30 }, () => bigText).join('\n'));
  });
});
