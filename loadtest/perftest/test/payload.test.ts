import { describe, expect, it } from 'vitest';
import { decodeContainer } from '../../../proto/container.js';
import { buildPayload, createPayloadWriter, padToSize } from '../payload.js';

const agent = { householdId: 'h1', agentId: 'a1', baseMs: Date.UTC(2026, 0, 1) };

describe('perftest payload', () => {
  it('when no size is asked for, then the container is unpadded and decodes with its readings', () => {
    const bytes = buildPayload(agent, 3, 11, 0, Date.now());
    const container = decodeContainer(bytes);
    expect(container.measurements).toHaveLength(11);
    expect(container.seq).toBe(3);
    expect(container.measurements[0]!.timestampMs).toBe(agent.baseMs + 3);
  });

  it.each([200, 470, 1000, 4096])('when padded to %i bytes, then it is exactly that long and still decodes', (size) => {
    const bytes = buildPayload(agent, 1, 2, size, Date.now());
    expect(bytes.byteLength).toBe(size);
    expect(decodeContainer(bytes).measurements).toHaveLength(2);
  });

  it('when the container is already larger, then padding leaves it alone', () => {
    const encoded = new Uint8Array(50);
    expect(padToSize(encoded, 10)).toBe(encoded);
  });

  it('at every size around the varint boundary, then the result is at least the size asked for', () => {
    const encoded = new Uint8Array(20);
    for (let size = 21; size < 200; size++) {
      const padded = padToSize(encoded, size);
      expect(padded.byteLength).toBeGreaterThanOrEqual(size);
      expect(padded.byteLength).toBeLessThanOrEqual(size + 1);
    }
  });
});

describe('createPayloadWriter', () => {
  it.each([
    { readings: 11, payloadBytes: 0 },
    { readings: 1, payloadBytes: 0 },
    { readings: 30, payloadBytes: 4096 },
  ])('writes exactly the bytes protobufjs encodes ($readings readings, padded to $payloadBytes)', ({ readings, payloadBytes }) => {
    // From base 0 the timestamps themselves change width (1 to 4 bytes), back and forth.
    for (const writer of [agent, { ...agent, baseMs: 0 }]) {
      const write = createPayloadWriter(writer, readings, payloadBytes);
      // Sequence numbers and clocks across varint widths: 1, 2, 3 and 4 bytes; value 0 included.
      for (const seq of [1, 127, 128, 16_383, 16_384, 2_097_152, 3000]) {
        for (const nowMs of [Date.UTC(2026, 10, 24), 2 ** 53 - 1]) {
          expect(Buffer.from(write(seq, nowMs))).toEqual(Buffer.from(buildPayload(writer, seq, readings, payloadBytes, nowMs)));
        }
      }
    }
  });

  it('stamps each container with its own timestamp, so no reading overwrites another', () => {
    const write = createPayloadWriter(agent, 3, 0);
    const [first, second] = [decodeContainer(write(1, Date.now())), decodeContainer(write(2, Date.now()))];
    expect(first.measurements.map((m) => m.timestampMs)).toEqual([agent.baseMs + 1, agent.baseMs + 1, agent.baseMs + 1]);
    expect(second.measurements[0]!.timestampMs).toBe(agent.baseMs + 2);
    expect(second.measurements.map((m) => m.deviceId)).toEqual(['socket-0', 'socket-1', 'socket-2']);
  });
});
