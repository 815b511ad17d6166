// A wall clock stepped back must not put readings on stamps already given: InfluxDB keeps one point
// per series and timestamp, so they would overwrite (or interleave with) readings already stored.
import { afterEach, describe, expect, it } from 'vitest';
import { decodeContainer, type Measurement, type ReadingContainer } from '../../proto/container.js';
import { makeTempDir } from '../../test/support/temp-dir.js';
import { createContainerBuilder, type ContainerBuilderOptions, type ContainerSink } from '../container-builder.js';
import { openOutboxStore, type ContainerDraft } from '../outbox.js';
import type { BackStepHandling } from '../reading-stamps.js';
import { restamped } from '../unsealed-samples.js';
import { silentLogger } from '../../lib/log.js';
import type { MeterSource } from '../sources/meter-source.js';
import { ManualClock } from './manual-clock.js';
import { recordingLogger, WARN } from './recording-logger.js';

const T0 = Date.UTC(2024, 0, 15, 12, 0, 0);
const DAY_MS = 24 * 3_600_000;

class MemorySink implements ContainerSink {
  readonly containers: ReadingContainer[] = [];
  append(draft: ContainerDraft): Promise<ReadingContainer> {
    const container = { ...draft, seq: this.containers.length + 1 };
    this.containers.push(container);
    return Promise.resolve(container);
  }
}

/** One reading per sample, of one series. */
const oneSeries: MeterSource = {
  name: 'one-series',
  read: (nowMs) => Promise.resolve([{ deviceId: 'plug', quantity: 'power_w', value: 1, timestampMs: nowMs } satisfies Measurement]),
};

function setup(overrides: Partial<ContainerBuilderOptions> = {}) {
  const clock = new ManualClock(T0);
  const sink = new MemorySink();
  const { log, lines } = recordingLogger();
  const steps: BackStepHandling[] = [];
  const builder = createContainerBuilder({
    householdId: 'h-1',
    agentId: 'a-1',
    source: oneSeries,
    sink,
    clock,
    sampleIntervalMs: 5000,
    publishIntervalMs: 60_000,
    log,
    onClockStepBack: (handling) => steps.push(handling),
    ...overrides,
  });
  const stamps = (): number[] => sink.containers.flatMap((c) => c.measurements.map((m) => m.timestampMs - T0));
  const warnings = (): string[] => lines.filter((line) => line.level >= WARN).map((line) => line.msg);
  return { clock, sink, builder, stamps, steps, warnings };
}

/** Offsets from T0: `from`, then every `everyMs`, `count` of them. */
const series = (from: number, everyMs: number, count: number): number[] => Array.from({ length: count }, (_, k) => from + k * everyMs);

describe('a wall clock stepped back', () => {
  const cleanups: (() => Promise<void> | void)[] = [];
  afterEach(async () => {
    for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
  });

  it('when NTP steps it back 20 s, then stamps go on from the newest at half pace until the wall clock passes them, warned and counted once', async () => {
    const { clock, builder, stamps, steps, warnings } = setup();
    builder.start();
    await clock.advance(30_000); // samples at 0 … 30 s
    clock.stepWall(-20_000); // the Pi ran 20 s fast
    await clock.advance(90_000);
    // Twice the step (40 s, 8 samples) at half pace, then the wall clock again.
    expect(stamps()).toEqual([...series(0, 5000, 7), ...series(32_500, 2500, 7), ...series(50_000, 5000, 10)]);
    expect(steps).toEqual(['held']);
    expect(warnings().filter((msg) => /stepped back/.test(msg))).toHaveLength(1);
  });

  it('when it steps back again while stamps are held, then it is not warned about twice, and no stamp repeats', async () => {
    const { clock, builder, stamps, steps } = setup();
    builder.start();
    await clock.advance(30_000);
    clock.stepWall(-20_000);
    await clock.advance(10_000);
    clock.stepWall(-5000);
    await clock.advance(120_000);
    const all = stamps();
    expect(all.slice(1).every((t, i) => t > all[i]!)).toBe(true);
    expect(steps).toEqual(['held']);
  });

  it('when it steps back more than a day, then stamps follow it (a clock that far ahead was refused by the broker), warned and counted', async () => {
    const { clock, builder, stamps, steps, warnings } = setup();
    clock.stepWall(400 * DAY_MS); // a real-time clock with garbage in it
    builder.start();
    await clock.advance(10_000);
    clock.stepWall(-400 * DAY_MS); // NTP
    await clock.advance(50_000);
    // The three readings stamped 400 days ahead are refused at the seal as from the future.
    expect(stamps()).toEqual(series(15_000, 5000, 9));
    expect(steps).toEqual(['followed']);
    expect(warnings().some((msg) => /stepped back/.test(msg))).toBe(true);
  });

  it('when it steps forward again before the seal, then held samples move to their monotonic time, in order after the rest', async () => {
    const { clock, builder, stamps } = setup();
    builder.start();
    await clock.advance(30_000);
    clock.stepWall(-20_000);
    await clock.advance(15_000); // held at 32.5, 35, 37.5 s
    clock.stepWall(80_000); // then a forward step: the wall clock is 60 s ahead of where it began
    await clock.advance(15_000);
    expect(stamps()).toEqual(series(60_000, 5000, 12));
  });

  it('when a sample stamped 1 ms after a repeated millisecond is restamped by a forward step, then it stays 1 ms after the one before', () => {
    const reading = (timestampMs: number): Measurement[] => [{ deviceId: 'plug', quantity: 'power_w', value: 1, timestampMs }];
    const samples = [
      { wallOffsetMs: 0, leadMs: 0, measurements: reading(1000) },
      { wallOffsetMs: 0, leadMs: 1, measurements: reading(1001) }, // the wall clock read 1000 again
    ];
    expect(restamped(samples, 5000, silentLogger()).map((m) => m.timestampMs)).toEqual([6000, 6001]);
  });

  it('when the agent restarts with its clock behind the newest reading it sealed, then stamps go on after that reading, and none is dropped as from the future', async () => {
    const dir = makeTempDir('step-back');
    cleanups.push(() => dir.remove());
    const path = dir.join('outbox.mdb');
    // Before the reboot: readings up to T0 + 10 min sealed.
    const before = openOutboxStore(path);
    await before.forAgent('a-1').append({
      householdId: 'h-1',
      agentId: 'a-1',
      createdAtMs: T0 + 600_000,
      measurements: [{ deviceId: 'plug', quantity: 'power_w', value: 1, timestampMs: T0 + 600_000 }],
    });
    await before.close();
    // The Pi boots with the time it saved ten minutes before it lost power.
    const store = openOutboxStore(path);
    cleanups.push(() => store.close());
    const outbox = store.forAgent('a-1');
    expect(outbox.newestStampMs()).toBe(T0 + 600_000);
    const { clock, builder, steps } = setup({ sink: outbox, newestStampMs: outbox.newestStampMs() });
    builder.start();
    await clock.advance(60_000);
    await builder.stop(); // seals the sample taken at 60 s too
    const sealed = outbox.peek({ afterSeq: 1, limit: 10 }).flatMap((entry) => decodeContainer(entry.payload).measurements);
    // 13 samples, none dropped although they lie more than the broker's 5 min future skew ahead of the wall clock.
    expect(sealed.map((m) => m.timestampMs - T0)).toEqual(series(600_001, 2500, 13));
    expect(outbox.newestStampMs()).toBe(T0 + 600_001 + 12 * 2500);
    expect(steps).toEqual(['held']);
  });
});
