// Test doubles for the write service's edges: an InfluxDB that answers what the test says, a
// dead-letter store in memory, containers with recognisable lines.
import { Registry } from 'prom-client';
import type { DeadLetter, DeadLetterInput, DeadLetterStore } from '../../../lib/dead-letter/dead-letter-store.js';
import { encodeContainer, type ReadingContainer } from '../../../proto/container.js';
import type { InfluxWriter, WriteOutcome } from '../influx-writer.js';
import { createWriteMetrics, type WriteMetrics } from '../metrics.js';

export type Answer = (lines: readonly string[]) => WriteOutcome | Promise<WriteOutcome>;

export interface FakeInflux extends InfluxWriter {
  /** Every request, as its lines, in order. */
  readonly requests: string[][];
  /** Lines answered 204, in order (with repeats if a line was stored twice). */
  readonly stored: string[];
  readonly inFlight: Set<readonly string[]>;
  createDatabaseCalls: number;
  answer: Answer;
  createDatabaseAnswer: () => WriteOutcome;
}

export function createFakeInflux(answer: Answer = () => ({ kind: 'ok' })): FakeInflux {
  const fake: FakeInflux = {
    requests: [],
    stored: [],
    inFlight: new Set(),
    createDatabaseCalls: 0,
    answer,
    createDatabaseAnswer: () => ({ kind: 'ok' }),
    async writeBatch(body) {
      const lines = (typeof body === 'string' ? body : Buffer.from(body.buffer, body.byteOffset, body.byteLength).toString('utf8')).split('\n');
      fake.requests.push(lines);
      fake.inFlight.add(lines);
      try {
        const outcome = await fake.answer(lines);
        if (outcome.kind === 'ok') fake.stored.push(...lines);
        return outcome;
      } finally {
        fake.inFlight.delete(lines);
      }
    },
    createDatabase() {
      fake.createDatabaseCalls++;
      return Promise.resolve(fake.createDatabaseAnswer());
    },
  };
  return fake;
}

export interface FakeDeadLetters extends Pick<DeadLetterStore, 'record'> {
  readonly letters: DeadLetterInput[];
}

export function createFakeDeadLetters(): FakeDeadLetters {
  const letters: DeadLetterInput[] = [];
  return {
    letters,
    record(letter): Promise<DeadLetter> {
      letters.push(letter);
      return Promise.resolve({ ...letter, id: letters.length, atMs: 0, payloadBytes: letter.payload.byteLength, payloadTruncated: false });
    },
  };
}

export function testMetrics(): WriteMetrics {
  return createWriteMetrics(new Registry(), () => undefined);
}

/** A container whose lines carry `seq=<seq>i`, one measurement per device id. */
export function makeContainer(seq: number, deviceIds: readonly string[] = ['plug-1'], createdAtMs = 1_700_000_000_000): ReadingContainer {
  return {
    householdId: 'h1',
    agentId: 'a1',
    seq,
    createdAtMs,
    measurements: deviceIds.map((deviceId, i) => ({ deviceId, quantity: 'power_w', value: seq + i / 10, timestampMs: createdAtMs + i })),
  };
}

export function encodedContainer(seq: number, deviceIds?: readonly string[]): Uint8Array {
  return encodeContainer(makeContainer(seq, deviceIds));
}

/** The seq a reading line carries. */
export function seqOf(line: string): number {
  const match = /,seq=(\d+)i /.exec(line);
  if (match?.[1] === undefined) throw new Error(`no seq in ${line}`);
  return Number(match[1]);
}
