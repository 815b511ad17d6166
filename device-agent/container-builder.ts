// Samples the source every sampleIntervalMs and seals the samples into a container every
// publishIntervalMs. Ticks are scheduled on absolute times (start + k × interval) so they do not
// drift; a tick that comes too late (slow plug, blocked loop) skips ahead instead of bursting.
// Sealing checks the samples against the broker's limits (sealable-containers.ts) and hands the
// resulting drafts to the outbox, which assigns seq from its persisted counter.
import type { ReadingContainer } from '../proto/container.js';
import type { Logger } from '../lib/log.js';
import { DEFAULT_VALIDATION_LIMITS, type ValidationLimits } from '../broker/validate-container.js';
import type { Clock, TimerHandle } from './clock.js';
import type { ContainerDraft } from './outbox.js';
import { planSeal, type DroppedReadings } from './sealable-containers.js';
import { createReadingStamps, type BackStepHandling } from './reading-stamps.js';
import { DEFAULT_MAX_UNSEALED_MEASUREMENTS, dropOldestBeyond, restamped, type Sample } from './unsealed-samples.js';
import { stampSpan } from './stamp-span.js';
import type { MeterSource } from './sources/meter-source.js';

export interface ContainerSink {
  append(draft: ContainerDraft): Promise<ReadingContainer>;
}

export interface ContainerBuilderOptions {
  readonly householdId: string;
  readonly agentId: string;
  readonly source: MeterSource;
  readonly sink: ContainerSink;
  readonly clock: Clock;
  readonly sampleIntervalMs: number;
  /** At least sampleIntervalMs; a container holds the samples of one interval. */
  readonly publishIntervalMs: number;
  /** Stop sampling after this many containers (tests and fleets with a fixed amount of work). */
  readonly stopAfterContainers?: number;
  /** What the broker accepts in a container (default: its defaults); larger intervals are split. */
  readonly limits?: ValidationLimits;
  readonly log: Logger;
  /**
   * Readings held in memory while sealing fails (a full SD card); past this the oldest go, counted
   * as `unsealed-overflow`. Default 100,000 (about 8 MB; 12 hours of 5 simulated sockets).
   */
  readonly maxUnsealedMeasurements?: number;
  /** The newest reading stamp sealed before this process (outbox.newestStampMs()): none goes before it. */
  readonly newestStampMs?: number;
  /** The wall clock stepped back behind the newest stamp (reading-stamps.ts). */
  readonly onClockStepBack?: (handling: BackStepHandling) => void;
  /** Readings the broker would refuse, left out of every container. */
  readonly onReadingsDropped?: (dropped: DroppedReadings) => void;
  readonly onSealed?: (container: ReadingContainer) => void;
  /** The outbox refused a container (a full or failing card): its readings wait in memory for the next seal. */
  readonly onSealFailed?: (error: unknown) => void;
  readonly onSourceError?: (error: unknown) => void;
  /** Called once when `stopAfterContainers` is reached. */
  readonly onFinished?: () => void;
}

export interface ContainerBuilder {
  start(): void;
  /** Stops ticking and seals what was sampled so far (nothing read is thrown away). */
  stop(): Promise<void>;
  sealedCount(): number;
}

function assertIntervals(options: ContainerBuilderOptions): void {
  const { sampleIntervalMs, publishIntervalMs } = options;
  if (!Number.isInteger(sampleIntervalMs) || sampleIntervalMs < 1) throw new Error(`bad sampleIntervalMs ${sampleIntervalMs}`);
  if (!Number.isInteger(publishIntervalMs) || publishIntervalMs < sampleIntervalMs) {
    throw new Error(`publishIntervalMs (${publishIntervalMs}) must be an integer ≥ sampleIntervalMs (${sampleIntervalMs})`);
  }
}

export function createContainerBuilder(options: ContainerBuilderOptions): ContainerBuilder {
  assertIntervals(options);
  const { clock, source, log } = options;
  /** Each sample with the wall clock's offset from monotonic time when it was taken. */
  let buffer: Sample[] = [];
  /** Monotonic (clock.monotonicMs), as are nextSealMs and every due time. */
  let startMs = 0;
  let nextSealMs = 0;
  let timer: TimerHandle | undefined;
  let running: Promise<void> = Promise.resolve();
  let stopped = true;
  let sealed = 0;

  const stamps = createReadingStamps({ newestMs: options.newestStampMs, log, onBackStep: options.onClockStepBack });
  const maxUnsealed = options.maxUnsealedMeasurements ?? DEFAULT_MAX_UNSEALED_MEASUREMENTS;
  const dropOverflow = (): void => {
    const count = dropOldestBeyond(buffer, maxUnsealed);
    if (count === 0) return;
    const dropped = { reason: 'unsealed-overflow', count, example: `more than ${maxUnsealed} readings waiting to be sealed` } as const;
    log.warn({ reason: dropped.reason, readings: count }, 'sealing keeps failing: the oldest unsealed readings were dropped');
    options.onReadingsDropped?.(dropped);
  };

  const seal = async (): Promise<void> => {
    if (buffer.length === 0) return; // nothing read (every plug down): no container, no seq used
    const nowMs = clock.now();
    const wallOffsetMs = nowMs - clock.monotonicMs();
    const measurements = restamped(buffer, wallOffsetMs, log);
    // A forward restamp may have moved the newest sample later; samples stay in order, so it is last.
    stamps.raise(measurements.at(-1)?.timestampMs ?? Number.NEGATIVE_INFINITY);
    buffer = [];
    const draft = { householdId: options.householdId, agentId: options.agentId, createdAtMs: nowMs, measurements };
    // Judged at the newest stamp when the wall clock is behind it: stamps held after a step back
    // are the agent's time, and the broker's clock decides whether they lie in its window.
    const plan = planSeal(draft, options.limits ?? DEFAULT_VALIDATION_LIMITS, Math.max(nowMs, stamps.newestMs()));
    for (const dropped of plan.dropped) {
      log.warn({ reason: dropped.reason, readings: dropped.count, example: dropped.example }, 'readings the broker would refuse were dropped');
      options.onReadingsDropped?.(dropped);
    }
    for (const [i, part] of plan.drafts.entries()) {
      let container: ReadingContainer;
      try {
        container = await options.sink.append(part);
      } catch (err) {
        options.onSealFailed?.(err);
        // Retried at the next seal (a refused append uses no seq).
        const unsealed = plan.drafts.slice(i).flatMap((d) => d.measurements);
        buffer = [{ wallOffsetMs, leadMs: Math.max(0, stampSpan(unsealed).lastMs - nowMs), measurements: unsealed }, ...buffer];
        dropOverflow();
        throw err;
      }
      sealed++;
      options.onSealed?.(container);
    }
  };

  const sample = async (): Promise<void> => {
    const wallMs = clock.now();
    const monotonicMs = clock.monotonicMs();
    const nowMs = stamps.stamp(wallMs, monotonicMs);
    try {
      const measurements = await source.read(nowMs);
      if (measurements.length > 0) buffer.push({ wallOffsetMs: wallMs - monotonicMs, leadMs: nowMs - wallMs, measurements });
    } catch (err) {
      log.error({ source: source.name, err: (err as Error).message }, 'source read failed');
      options.onSourceError?.(err);
    }
  };

  const logSealError = (err: unknown): void => {
    log.error({ err: (err as Error).message }, 'sealing a container failed; its samples wait for the next seal');
  };

  const finished = (): boolean => options.stopAfterContainers !== undefined && sealed >= options.stopAfterContainers;

  // Seal first, then sample: a container holds the samples of [seal − publishInterval, seal),
  // so with equal intervals every container carries exactly one sample. Decisions use the tick's
  // due time, not the clock: a timer may fire a millisecond early. Due times are monotonic
  // (clock.ts): a wall clock stepping back must not hold sampling up.
  const tick = async (dueMs: number): Promise<void> => {
    if (dueMs >= nextSealMs) {
      const p = options.publishIntervalMs;
      nextSealMs = startMs + (Math.floor((dueMs - startMs) / p) + 1) * p;
      await seal().catch(logSealError);
      if (finished()) {
        stopped = true;
        options.onFinished?.();
        return;
      }
    }
    await sample();
  };

  const schedule = (lastDueMs: number): void => {
    if (stopped) return;
    const s = options.sampleIntervalMs;
    const dueMs = startMs + (Math.floor((Math.max(clock.monotonicMs(), lastDueMs) - startMs) / s) + 1) * s;
    timer = clock.setTimeout(() => {
      timer = undefined;
      running = tick(dueMs)
        .catch((err: unknown) => log.error({ err: (err as Error).message }, 'builder tick failed'))
        .finally(() => schedule(dueMs));
    }, dueMs - clock.monotonicMs());
  };

  return {
    start() {
      if (!stopped) return;
      stopped = false;
      startMs = clock.monotonicMs();
      nextSealMs = startMs + options.publishIntervalMs;
      running = sample().finally(() => schedule(startMs));
    },
    async stop() {
      stopped = true;
      if (timer !== undefined) clock.clearTimeout(timer);
      timer = undefined;
      await running;
      await seal().catch(logSealError);
    },
    sealedCount: () => sealed,
  };
}
