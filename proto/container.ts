// Plain domain types for a reading container, and the protobuf codec behind them.
// Every other module speaks these types; only this file touches the generated code.
import { isUtf8 } from 'node:buffer';
import protobuf from 'protobufjs/minimal.js';
import { energymonitor } from './gen/readings.js';
import { type Quantity, quantityFromWire, quantityToWire } from './quantities.js';

// 64-bit fields decode as plain numbers, as the generated types (--force-number) already declare.
// With the `long` package present protobufjs would build a Long per int64 field, and Number(Long)
// goes through a decimal string: a twentieth of the broker's CPU per container. Our int64 values
// (epoch ms, seq) stay far below 2^53, where numbers are exact.
protobuf.util.Long = undefined as unknown as typeof protobuf.util.Long;
protobuf.configure();

// protobufjs reads a string field without checking it: invalid UTF-8 turns into U+FFFD (so two
// different device ids could become one series), and its Node reader cuts a string that runs
// past the end of the payload short instead of failing. proto3 requires string fields to hold
// valid UTF-8 and conforming parsers refuse them otherwise; these readers do the same. Strings are
// read through bytes(), which checks the length against the payload.
function readStrictString(this: protobuf.Reader): string {
  const bytes = this.bytes();
  if (!isUtf8(bytes)) throw new Error('a string field is not valid UTF-8');
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('utf8');
}
protobuf.Reader.prototype.string = readStrictString;
protobuf.BufferReader.prototype.string = readStrictString;

const wire = energymonitor.v1;

export interface Measurement {
  readonly deviceId: string;
  readonly quantity: Quantity;
  readonly value: number;
  readonly timestampMs: number;
}

export interface ReadingContainer {
  readonly householdId: string;
  readonly agentId: string;
  readonly seq: number;
  readonly createdAtMs: number;
  readonly measurements: readonly Measurement[];
}

export function encodeContainer(container: ReadingContainer): Uint8Array {
  return wire.ReadingContainer.encode({
    householdId: container.householdId,
    agentId: container.agentId,
    seq: container.seq,
    createdAtMs: container.createdAtMs,
    measurements: container.measurements.map((m) => ({
      deviceId: m.deviceId,
      quantity: quantityToWire(m.quantity),
      value: m.value,
      timestampMs: m.timestampMs,
    })),
  }).finish();
}

/** Thrown for bytes that are not a ReadingContainer; `message` says why. */
export class ContainerDecodeError extends Error {
  override readonly name = 'ContainerDecodeError';
}

/**
 * Decodes a container. Structural problems (truncated bytes, wrong wire types, an unknown
 * quantity) throw ContainerDecodeError; semantic checks live in validate-container.ts.
 */
export function decodeContainer(bytes: Uint8Array): ReadingContainer {
  let raw: energymonitor.v1.ReadingContainer;
  try {
    raw = wire.ReadingContainer.decode(bytes);
  } catch (err) {
    throw new ContainerDecodeError(`not a ReadingContainer: ${(err as Error).message}`);
  }
  return {
    householdId: raw.householdId,
    agentId: raw.agentId,
    seq: Number(raw.seq),
    createdAtMs: Number(raw.createdAtMs),
    measurements: raw.measurements.map((m, i) => {
      const quantity = quantityFromWire(m.quantity ?? 0);
      if (quantity === undefined) {
        throw new ContainerDecodeError(`measurement ${i}: unknown quantity ${String(m.quantity)}`);
      }
      return {
        deviceId: m.deviceId ?? '',
        quantity,
        value: m.value ?? 0,
        timestampMs: Number(m.timestampMs ?? 0),
      };
    }),
  };
}
