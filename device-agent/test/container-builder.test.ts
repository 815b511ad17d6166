import { describe, expect, it } from 'vitest';
import type { Measurement, ReadingContainer } from '../../proto/container.js';
import { silentLogger } from '../../lib/log.js';
import { createContainerBuilder, type ContainerBuilderOptions, type ContainerSink } from '../container-builder.js';
import type { ContainerDraft } from '../outbox.js';
import type { DroppedReadings } from '../sealable-containers.js';
import type { MeterSource } from '../sources/meter-source.js';
import { ManualClock } from './manual-clock.js';

const T0 = Date.UTC(2024, 0, 15, 12, 0, 0);

class MemorySink implements ContainerSink {
  readonly containers: ReadingContainer[] = [];
  failNext = false;
  failAll = false;
  #seq = 1;
  append(draft: ContainerDraft): Promise<ReadingContainer> {
    if (this.failNext || this.failAll) {
      this.failNext = false;
      return Promise.reject(new Error('disk full')); // uses no seq, as the outbox
    }
    const seq = this.#seq++;
    const container = { ...draft, seq };
    this.containers.push(container);
    return Promise.resolve(container);
  }
}

function countingSource(clock: ManualClock, onRead?: () => void): MeterSource & { reads: number[] } {
  const reads: number[] = [];
  return {
    name: 'counting',
    reads,
    read(nowMs) {
      reads.push(nowMs);
      onRead?.();
      const m: Measurement = { deviceId: 'plug', quantity: 'power_w', value: reads.length, timestampMs: nowMs };
      // The read time, or after the previous sample when the wall clock is at or behind it
      // (a repeated millisecond, a step back: clock-step-back.test.ts).
      expect(nowMs === clock.now() || nowMs > reads.at(-2)!).toBe(true);
      return Promise.resolve([m]);
    },
  };
}

function setup(overrides: Partial<ContainerBuilderOptions> = {}) {
  const clock = new ManualClock(T0);
  const sink = new MemorySink();
  const source = countingSource(clock);
  const builder = createContainerBuilder({
    householdId: 'h-1',
    agentId: 'a-1',
    source,
    sink,
    clock,
    sampleIntervalMs: 5000,
    publishIntervalMs: 60_000,
    log: silentLogger(),
    ...overrides,
  });
  return { clock, sink, source, builder };
}

describe('container builder', () => {
  it('when a minute passes, then one container holds the 12 samples of that minute, each with its read time', async () => {
    const { clock, sink, builder } = setup();
    builder.start();
    await clock.advance(60_000);
    expect(sink.containers).toHaveLength(1);
    const [container] = sink.containers;
    expect(container?.seq).toBe(1);
    expect(container?.createdAtMs).toBe(T0 + 60_000);
    expect(container?.measurements.map((m) => m.timestampMs)).toEqual(Array.from({ length: 12 }, (_, i) => T0 + i * 5000));
    expect(container).toMatchObject({ householdId: 'h-1', agentId: 'a-1' });
  });

  it('when time goes on, then containers are sealed every publish interval with growing seq', async () => {
    const { clock, sink, builder } = setup();
    builder.start();
    await clock.advance(5 * 60_000);
    expect(sink.containers.map((c) => c.seq)).toEqual([1, 2, 3, 4, 5]);
    expect(sink.containers.map((c) => c.createdAtMs - T0)).toEqual([1, 2, 3, 4, 5].map((i) => i * 60_000));
    expect(sink.containers.every((c) => c.measurements.length === 12)).toBe(true);
  });

  it('when both intervals are equal, then every container carries exactly one sample', async () => {
    const { clock, sink, builder } = setup({ sampleIntervalMs: 1000, publishIntervalMs: 1000 });
    builder.start();
    await clock.advance(5000);
    expect(sink.containers.map((c) => c.measurements.length)).toEqual([1, 1, 1, 1, 1]);
  });

  it('when timers fire a millisecond early (as Node timers may), then no sample is doubled or lost', async () => {
    class EarlyClock extends ManualClock {
      override setTimeout(callback: () => void, delayMs: number) {
        return super.setTimeout(callback, delayMs - 1);
      }
    }
    const clock = new EarlyClock(T0);
    const sink = new MemorySink();
    const source = countingSource(clock);
    const builder = createContainerBuilder({
      ...{ householdId: 'h-1', agentId: 'a-1', sink, clock, source, log: silentLogger() },
      sampleIntervalMs: 1000,
      publishIntervalMs: 1000,
    });
    builder.start();
    await clock.advance(10_000);
    expect(sink.containers.map((c) => c.measurements.length)).toEqual(Array(sink.containers.length).fill(1));
    expect(sink.containers.length).toBeGreaterThanOrEqual(9);
    expect(new Set(source.reads.map((t) => Math.round((t - T0) / 1000))).size).toBe(source.reads.length);
  });

  it('when stopped mid-interval, then what was sampled is sealed, and no timer is left', async () => {
    const { clock, sink, builder } = setup();
    builder.start();
    await clock.advance(12_000);
    await builder.stop();
    expect(sink.containers).toHaveLength(1);
    expect(sink.containers[0]?.measurements).toHaveLength(3);
    expect(clock.pendingTimers()).toBe(0);
  });

  it('when stopAfterContainers is reached, then sampling stops and onFinished is called once', async () => {
    let finished = 0;
    const { clock, sink, source, builder } = setup({ stopAfterContainers: 2, onFinished: () => finished++ });
    builder.start();
    await clock.advance(10 * 60_000);
    expect(sink.containers).toHaveLength(2);
    expect(finished).toBe(1);
    expect(source.reads).toHaveLength(24);
    await builder.stop();
    expect(sink.containers).toHaveLength(2);
  });

  it('when a read takes longer than the interval, then reads never overlap and missed ticks are skipped', async () => {
    const clock = new ManualClock(T0);
    const sink = new MemorySink();
    const source = countingSource(clock, () => clock.jump(12_000));
    const builder = createContainerBuilder({
      ...{ householdId: 'h-1', agentId: 'a-1', sink, clock, log: silentLogger() },
      source,
      sampleIntervalMs: 5000,
      publishIntervalMs: 60_000,
    });
    builder.start();
    await clock.advance(60_000);
    const gaps = source.reads.slice(1).map((t, i) => t - (source.reads[i] ?? 0));
    expect(gaps.every((gap) => gap >= 15_000)).toBe(true);
    expect(source.reads.every((t) => (t - T0) % 5000 === 0)).toBe(true);
  });

  it('when the source throws, then the error is reported and sampling goes on', async () => {
    const clock = new ManualClock(T0);
    const sink = new MemorySink();
    const errors: unknown[] = [];
    let calls = 0;
    const source: MeterSource = {
      name: 'flaky',
      read: (nowMs) => (++calls % 2 === 0 ? Promise.reject(new Error('boom')) : Promise.resolve([{ deviceId: 'p', quantity: 'power_w', value: 1, timestampMs: nowMs }])),
    };
    const builder = createContainerBuilder({
      ...{ householdId: 'h-1', agentId: 'a-1', sink, clock, log: silentLogger(), source },
      sampleIntervalMs: 5000,
      publishIntervalMs: 60_000,
      onSourceError: (err) => errors.push(err),
    });
    builder.start();
    await clock.advance(60_000);
    expect(errors).toHaveLength(6);
    expect(sink.containers[0]?.measurements).toHaveLength(6);
  });

  it('when nothing could be read, then no container is sealed and no seq is used', async () => {
    const clock = new ManualClock(T0);
    const sink = new MemorySink();
    const builder = createContainerBuilder({
      ...{ householdId: 'h-1', agentId: 'a-1', sink, clock, log: silentLogger() },
      source: { name: 'dead', read: () => Promise.resolve([]) },
      sampleIntervalMs: 5000,
      publishIntervalMs: 60_000,
    });
    builder.start();
    await clock.advance(3 * 60_000);
    expect(sink.containers).toHaveLength(0);
  });

  it('when sealing fails, then the samples go into the next container, and the refusal is reported', async () => {
    const refusals: unknown[] = [];
    const { clock, sink, builder } = setup({ onSealFailed: (err) => refusals.push(err) });
    sink.failNext = true;
    builder.start();
    await clock.advance(120_000);
    expect(refusals).toEqual([new Error('disk full')]);
    expect(sink.containers).toHaveLength(1);
    expect(sink.containers[0]?.measurements).toHaveLength(24);
    expect(sink.containers[0]?.seq).toBe(1);
  });

  it('when sealing fails for hours, then only the newest readings are held, and the oldest are dropped and counted', async () => {
    const dropped: DroppedReadings[] = [];
    const { clock, sink, builder } = setup({ maxUnsealedMeasurements: 30, onReadingsDropped: (d) => dropped.push(d) });
    sink.failAll = true;
    builder.start();
    await clock.advance(10 * 60_000); // 120 samples, every seal refused
    sink.failAll = false;
    await clock.advance(60_000);
    const values = sink.containers.flatMap((c) => c.measurements.map((m) => m.value));
    // The 30 newest of the 120 refused samples (91–120), then the 12 of the interval that sealed.
    expect(values).toEqual(Array.from({ length: 42 }, (_, k) => 91 + k));
    expect(dropped.every((d) => d.reason === 'unsealed-overflow')).toBe(true);
    expect(dropped.reduce((sum, d) => sum + d.count, 0) + values.length).toBe(132);
  });

  it('refuses a publish interval shorter than the sample interval', () => {
    expect(() => setup({ sampleIntervalMs: 5000, publishIntervalMs: 1000 })).toThrow(/publishIntervalMs/);
  });
  it('when an interval samples more readings than the broker takes per container, then it seals several, keeping every reading', async () => {
    const clock = new ManualClock(T0);
    const sink = new MemorySink();
    // 21 readings a poll (10 sockets and mains) every second: 1260 in a minute, over the limit of 1000.
    const source: MeterSource = {
      name: 'busy',
      read: (nowMs) =>
        Promise.resolve(Array.from({ length: 21 }, (_, i) => ({ deviceId: `d${i}`, quantity: 'power_w', value: i, timestampMs: nowMs }))),
    };
    const builder = createContainerBuilder({ householdId: 'h-1', agentId: 'a-1', source, sink, clock, sampleIntervalMs: 1000, publishIntervalMs: 60_000, log: silentLogger() });
    builder.start();
    await clock.advance(60_000);
    expect(sink.containers.map((c) => [c.seq, c.measurements.length])).toEqual([
      [1, 1000],
      [2, 260],
    ]);
    expect(builder.sealedCount()).toBe(2);
  });

  it('when a source returns a reading the broker would refuse, then it is dropped and counted, and the rest is sealed', async () => {
    const dropped: { reason: string; count: number }[] = [];
    const source: MeterSource = {
      name: 'odd',
      read: (nowMs) =>
        Promise.resolve([
          { deviceId: 'good', quantity: 'power_w', value: 1, timestampMs: nowMs },
          { deviceId: 'bad', quantity: 'energy_wh', value: Number.POSITIVE_INFINITY, timestampMs: nowMs },
        ]),
    };
    const { clock, sink, builder } = setup({
      source,
      sampleIntervalMs: 1000,
      publishIntervalMs: 1000,
      onReadingsDropped: ({ reason, count }) => dropped.push({ reason, count }),
    });
    builder.start();
    await clock.advance(1000);
    expect(sink.containers.map((c) => c.measurements.map((m) => m.deviceId))).toEqual([['good']]);
    expect(dropped).toEqual([{ reason: 'bad-value', count: 1 }]);
  });

  it('when two ticks fall in one wall-clock millisecond, then the second sample is stamped 1 ms later, so InfluxDB keeps both', async () => {
    const { clock, source, sink, builder } = setup({ sampleIntervalMs: 1000, publishIntervalMs: 1000 });
    builder.start();
    await clock.advance(2000);
    // For one tick the wall clock reads the previous tick's millisecond again.
    clock.stepWall(-1000);
    await clock.advance(1000);
    clock.stepWall(1000);
    await clock.advance(2000);
    const stamps = sink.containers.flatMap((c) => c.measurements.map((m) => m.timestampMs));
    expect(new Set(stamps).size).toBe(stamps.length);
    expect(stamps).toEqual([...stamps].sort((a, b) => a - b));
    expect(source.reads).toHaveLength(6);
  });

  it('when the wall clock steps back, then sampling goes on at its pace, stamped after the newest sample (clock-step-back.test.ts)', async () => {
    const { clock, source, builder } = setup({ sampleIntervalMs: 1000, publishIntervalMs: 2000 });
    builder.start();
    await clock.advance(10_000);
    const before = source.reads.length;
    clock.stepWall(-10 * 60_000); // NTP corrects a Pi that booted ten minutes ahead
    await clock.advance(10_000);
    expect(source.reads.length - before).toBe(10);
    // Ten samples at half pace after the newest stamp: the wall clock is ten minutes behind it.
    expect(source.reads.at(-1)).toBe(T0 + 10_000 + 10 * 500);
  });
  it('when NTP steps the wall clock mid-interval, then the samples taken before the step are restamped by monotonic time', async () => {
    // A Pi without a real-time clock boots with the time it saved at shutdown, here 40 days behind:
    // stamped so, the broker refuses its first readings as too old (30 days).
    const { clock, sink, source, builder } = setup({ sampleIntervalMs: 5000, publishIntervalMs: 60_000 });
    const behindMs = 40 * 24 * 3_600_000;
    clock.stepWall(-behindMs);
    builder.start();
    await clock.advance(32_000);
    clock.stepWall(behindMs);
    await clock.advance(28_000);
    expect(source.reads.slice(0, 7)).toEqual(Array.from({ length: 7 }, (_, k) => T0 - behindMs + k * 5000));
    expect(sink.containers).toHaveLength(1);
    expect(sink.containers[0]!.measurements.map((m) => m.timestampMs)).toEqual(Array.from({ length: 12 }, (_, k) => T0 + k * 5000));
  });
});
