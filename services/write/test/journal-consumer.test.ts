import { afterEach, describe, expect, it, vi } from 'vitest';
import { createMemoryJournal } from '../../../lib/journal/memory-journal.js';
import type { ContainerJournal } from '../../../lib/journal/container-journal.js';
import { silentLogger } from '../../../lib/log.js';
import type { WriteOutcome } from '../influx-writer.js';
import { createJournalConsumer, type JournalConsumer, type JournalConsumerOptions } from '../journal-consumer.js';
import { createFakeDeadLetters, createFakeInflux, encodedContainer, seqOf, testMetrics, type Answer } from './fakes.js';
import { createManualClock } from './manual-clock.js';

const OK: WriteOutcome = { kind: 'ok' };
const UNAVAILABLE: WriteOutcome = { kind: 'retryable', status: 503, message: 'overloaded' };

interface Deferred {
  readonly promise: Promise<WriteOutcome>;
  resolve(outcome: WriteOutcome): void;
}

function deferred(): Deferred {
  let resolve: (outcome: WriteOutcome) => void = () => undefined;
  const promise = new Promise<WriteOutcome>((r) => (resolve = r));
  return { promise, resolve };
}

const running: JournalConsumer[] = [];
afterEach(async () => {
  await Promise.all(running.splice(0).map((c) => c.stop()));
});

function setup(options: Partial<JournalConsumerOptions> = {}, answer?: Answer, journal: ContainerJournal = createMemoryJournal()) {
  const influx = createFakeInflux(answer);
  const deadLetters = createFakeDeadLetters();
  const clock = createManualClock();
  const metrics = testMetrics();
  const consumer = createJournalConsumer(
    { maxBatchLines: 10, lingerMs: 50, maxRequestsInFlight: 2, pollIntervalMs: 20, ...options },
    { journal, writer: influx, deadLetters, clock, random: () => 0.5, metrics, log: silentLogger(), cursorFlush: { overdue: () => undefined, confirmed: () => undefined } },
  );
  running.push(consumer);
  const append = async (seqs: readonly number[], devices?: readonly string[]) => {
    for (const seq of seqs) await journal.appendContainer(encodedContainer(seq, devices));
  };
  return { journal, influx, deadLetters, clock, metrics, consumer, append };
}

async function counter(metric: { get(): Promise<{ values: { value: number; labels: object }[] }> }): Promise<number> {
  return (await metric.get()).values.reduce((sum, v) => sum + v.value, 0);
}

const range = (from: number, to: number) => Array.from({ length: to - from + 1 }, (_, i) => from + i);

describe('journal consumer', () => {
  it('when InfluxDB answers 204, then the batch is removed — and not before', async () => {
    const answer = deferred();
    const t = setup({}, () => answer.promise);
    await t.append([1, 2, 3]);
    t.consumer.start();
    await t.clock.advance(60);
    expect(t.influx.requests).toHaveLength(1);
    expect(t.journal.depth().entries).toBe(3);
    await t.clock.advance(5_000);
    expect(t.journal.depth().entries).toBe(3);
    answer.resolve(OK);
    await t.clock.advance(1);
    expect(t.journal.depth().entries).toBe(0);
    expect(t.influx.stored.map(seqOf)).toEqual([1, 2, 3]);
    expect(await counter(t.metrics.pointsWritten)).toBe(3);
    expect(await counter(t.metrics.batches)).toBe(1);
  });

  it('when a journaled container has no measurements, then the batch body has no empty line for it and the others are stored', async () => {
    const t = setup();
    await t.append([1]);
    await t.append([2], []);
    await t.append([3]);
    t.consumer.start();
    await t.clock.advance(60);
    expect(t.influx.requests).toHaveLength(1);
    expect(t.influx.requests[0]).not.toContain('');
    expect(t.influx.stored.map(seqOf)).toEqual([1, 3]);
    expect(t.journal.depth().entries).toBe(0);
  });

  it('when a batch is not full, then it waits lingerMs before it is sent', async () => {
    const t = setup({ lingerMs: 50 });
    await t.append([1]);
    t.consumer.start();
    await t.clock.advance(40);
    expect(t.influx.requests).toHaveLength(0);
    await t.clock.advance(20);
    expect(t.influx.requests).toHaveLength(1);
  });

  it('when the journal holds a full batch, then it is sent without lingering', async () => {
    const t = setup({ maxBatchLines: 3, lingerMs: 1_000 });
    await t.append([1, 2, 3, 4]);
    t.consumer.start();
    await t.clock.advance(0);
    expect(t.influx.requests.map((r) => r.map(seqOf))).toEqual([[1, 2, 3]]);
  });

  it('never splits a container across batches', async () => {
    const t = setup({ maxBatchLines: 5, lingerMs: 0 });
    await t.append([1, 2, 3], ['d1', 'd2']);
    t.consumer.start();
    await t.clock.advance(100);
    expect(t.influx.requests.map((r) => r.map(seqOf))).toEqual([
      [1, 1, 2, 2],
      [3, 3],
    ]);
  });

  it('when InfluxDB is unavailable, then it retries with growing delays and removes nothing until 204', async () => {
    const times: number[] = [];
    const t = setup({ backoff: { initialMs: 100, maxMs: 1_000 } }, () => {
      times.push(t.clock.nowMs());
      return times.length <= 6 ? UNAVAILABLE : OK;
    });
    await t.append([1, 2]);
    t.consumer.start();
    await t.clock.advance(1_000);
    expect(t.journal.depth().entries).toBe(2);
    await t.clock.advance(10_000);
    const gaps = times.slice(1).map((time, i) => time - (times[i] ?? 0));
    // random() = 0.5: three quarters of 100, 200, 400, 800, 1000 (cap), 1000.
    expect(gaps).toEqual([75, 150, 300, 600, 750, 750]);
    expect(t.journal.depth().entries).toBe(0);
    expect(t.influx.stored.map(seqOf)).toEqual([1, 2]);
    expect(await counter(t.metrics.retries)).toBe(6);
    expect(await counter(t.metrics.influxErrors)).toBe(6);
  });

  it('when InfluxDB refuses lines (400), then bisection dead-letters exactly those and stores the rest', async () => {
    const bad = new Set(['bad-1', 'bad-2']);
    const isBad = (line: string) => [...bad].some((d) => line.includes(`device=${d},`));
    const t = setup({ maxBatchLines: 100 }, (lines) =>
      lines.some(isBad) ? { kind: 'rejected', status: 400, message: 'partial write: field type conflict' } : OK,
    );
    await t.append(range(1, 8), ['d1', 'd2', 'd3']);
    await t.append([9], ['d1', 'bad-1', 'd3']);
    await t.append(range(10, 15), ['d1', 'd2']);
    await t.append([16], ['bad-2']);
    t.consumer.start();
    await t.clock.advance(100);
    expect(t.deadLetters.letters.map((l) => new TextDecoder().decode(l.payload))).toEqual([
      expect.stringContaining('device=bad-1,') as string,
      expect.stringContaining('device=bad-2,') as string,
    ]);
    expect(t.deadLetters.letters[0]).toMatchObject({ source: 'write', reason: 'influx-400', detail: 'partial write: field type conflict' });
    // Each letter names the reading it came from: household/agent/seq.
    expect(t.deadLetters.letters.map((l) => l.correlationId)).toEqual(['h1/a1/9', 'h1/a1/16']);
    const stored = new Set(t.influx.stored);
    expect(stored.size).toBe(8 * 3 + 2 + 6 * 2);
    expect([...stored].some(isBad)).toBe(false);
    expect(t.journal.depth().entries).toBe(0);
    expect(await counter(t.metrics.deadLetters)).toBe(2);
  });

  it('when InfluxDB answers 413, then the batch is split until it fits', async () => {
    const t = setup({ maxBatchLines: 20 }, (lines) =>
      lines.length > 3 ? { kind: 'tooLarge', message: 'Request Entity Too Large' } : OK,
    );
    await t.append(range(1, 10), ['d1', 'd2']);
    t.consumer.start();
    await t.clock.advance(100);
    expect(new Set(t.influx.stored).size).toBe(20);
    expect(t.deadLetters.letters).toHaveLength(0);
    expect(t.journal.depth().entries).toBe(0);
  });

  it('when the database is missing (404), then it creates it and writes again', async () => {
    let created = false;
    const t = setup({}, () => (created ? OK : { kind: 'databaseMissing', message: 'database not found' }));
    t.influx.createDatabaseAnswer = () => {
      created = true;
      return OK;
    };
    await t.append([1]);
    t.consumer.start();
    await t.clock.advance(60);
    expect(t.influx.createDatabaseCalls).toBe(1);
    expect(t.influx.requests).toHaveLength(2);
    expect(t.journal.depth().entries).toBe(0);
  });

  it('never has two batches in flight that share a journal entry', async () => {
    const pending: Deferred[] = [];
    const overlaps: number[][] = [];
    let holding = true;
    let maxConcurrent = 0;
    const t = setup({ maxBatchLines: 4, maxRequestsInFlight: 2, lingerMs: 10 }, () => {
      maxConcurrent = Math.max(maxConcurrent, t.influx.inFlight.size);
      const seqs = [...t.influx.inFlight].flatMap((lines) => [...new Set(lines.map(seqOf))]);
      if (new Set(seqs).size !== seqs.length) overlaps.push(seqs);
      if (!holding) return OK;
      const d = deferred();
      pending.push(d);
      return d.promise;
    });
    await t.append(range(1, 40), ['d1', 'd2']);
    t.consumer.start();
    for (let round = 0; round < 60; round++) {
      await t.clock.advance(20);
      expect(t.influx.inFlight.size).toBeLessThanOrEqual(2);
      // Answer the oldest request: a failure every third time, so batches are retried too.
      pending.shift()?.resolve(round % 3 === 2 ? UNAVAILABLE : OK);
    }
    holding = false;
    for (const d of pending.splice(0)) d.resolve(OK);
    await t.clock.advance(20_000);
    expect(overlaps).toEqual([]);
    expect(maxConcurrent).toBe(2);
    expect(t.journal.depth().entries).toBe(0);
    expect([...new Set(t.influx.stored.map(seqOf))].sort((a, b) => a - b)).toEqual(range(1, 40));
    // Each container was stored by exactly one successful request.
    expect(t.influx.stored).toHaveLength(80);
  });

  it('when nothing is claimed, it peeks from the start; otherwise after the highest claimed key', async () => {
    const journal = createMemoryJournal();
    const peek = vi.spyOn(journal, 'peekContainers');
    const answer = deferred();
    const t = setup({ maxBatchLines: 2, maxRequestsInFlight: 2 }, () => answer.promise, journal);
    await t.append([1, 2, 3]);
    t.consumer.start();
    await t.clock.advance(0);
    expect(peek.mock.calls[0]?.[0].afterKey).toBeUndefined();
    expect(peek.mock.calls.at(-1)?.[0].afterKey).toBeGreaterThanOrEqual(2);
    answer.resolve(OK);
    await t.clock.advance(100);
    expect(t.journal.depth().entries).toBe(0);
    expect(peek.mock.calls.at(-1)?.[0].afterKey).toBeUndefined();
  });

  it('when an entry does not decode, then it is dead-lettered and removed, and the rest is stored', async () => {
    const t = setup();
    await t.append([1]);
    await t.journal.appendContainer(Uint8Array.from([0xff, 0xff, 0xff]));
    await t.append([2]);
    t.consumer.start();
    await t.clock.advance(100);
    expect(t.deadLetters.letters).toMatchObject([{ source: 'write', reason: 'decode' }]);
    expect(t.influx.stored.map(seqOf)).toEqual([1, 2]);
    expect(t.journal.depth().entries).toBe(0);
  });

  it.each([
    ['a line feed', 'x\nevil'],
    ["InfluxDB's series/field separator", 'meter#!~#value'],
  ])('when an entry holds a device id with %s, then it is dead-lettered as unstorable and the rest is stored', async (_what, deviceId) => {
    const t = setup();
    await t.append([1]);
    await t.append([2], [deviceId]);
    await t.append([3]);
    t.consumer.start();
    await t.clock.advance(100);
    expect(t.deadLetters.letters).toMatchObject([{ source: 'write', reason: 'unstorable', correlationId: 'h1/a1/2' }]);
    expect(t.deadLetters.letters[0]?.detail).toContain(JSON.stringify(deviceId));
    expect(t.influx.stored.map(seqOf)).toEqual([1, 3]);
    expect(t.influx.stored.join('\n')).not.toContain('evil');
    expect(t.journal.depth().entries).toBe(0);
  });

  it('when stopped during a backoff, then stop() returns at once and the batch stays in the journal', async () => {
    const t = setup({}, () => UNAVAILABLE);
    await t.append([1, 2]);
    t.consumer.start();
    await t.clock.advance(200);
    const requests = t.influx.requests.length;
    await t.consumer.stop();
    await t.clock.advance(60_000);
    expect(t.influx.requests).toHaveLength(requests);
    expect(t.journal.depth().entries).toBe(2);
    expect(t.clock.pendingSleeps()).toBe(0);
  });

  it('when stopped while a request is under way, then the request finishes and its batch is removed', async () => {
    const answer = deferred();
    const t = setup({}, () => answer.promise);
    await t.append([1]);
    t.consumer.start();
    await t.clock.advance(60);
    const stopped = t.consumer.stop();
    answer.resolve(OK);
    await stopped;
    expect(t.journal.depth().entries).toBe(0);
  });

  it('when idle, it polls the journal every pollIntervalMs and picks up new entries', async () => {
    const t = setup({ pollIntervalMs: 20, lingerMs: 0 });
    t.consumer.start();
    await t.clock.advance(100);
    await t.append([1]);
    await t.clock.advance(20);
    expect(t.influx.stored.map(seqOf)).toEqual([1]);
  });
});
