// Background work on InfluxDB: retention policies and continuous queries at start (retried every few
// seconds while InfluxDB is down, so the service starts and recovers on its own), then two kinds of
// reconciliation of rollups with late raw data (influx/rollup-backfill.ts), one at a time:
// - every few seconds, the hours the write service marked as having received late readings
//   (influx/late-hour-marks.ts), so a backfilling agent's history is rolled up within moments;
// - every few minutes, the last lookback, and one more day of the late window per pass
//   (domain/late-sweep.ts): the safety net for marks that were lost or never written.
import type { Logger } from '../../lib/log.js';
import type { InfluxClient } from './influx/influx-client.js';
import type { ReadingsLocation } from './influx/readings-source.js';
import { DAY_MS, HOUR_MS, MINUTE_MS } from './domain/durations.js';
import { hourRanges } from './domain/hour-ranges.js';
import { nextSweepSlice, type SweepSlice } from './domain/late-sweep.js';
import { markedHours } from './influx/late-hour-marks.js';
import { reconcileRange, reconcileRollups } from './influx/rollup-backfill.js';
import type { RetentionLayout } from './influx/rollup-layout.js';
import { ensureRetention } from './influx/retention-setup.js';
import type { ReadMetrics } from './metrics.js';

const SETUP_RETRY_MS = 5_000;
/** How far back marks are read at start: marks of a longer downtime are left to the late sweep. */
const MARKS_AT_START_MS = DAY_MS;
/**
 * Marks are stamped with the writer's clock before they reach InfluxDB: each poll reads again from
 * this long before the last one, for another host's clock and a write still under way. A mark
 * read twice costs a count of its hour; a repaired hour counts equal and is not recomputed.
 */
const MARKS_OVERLAP_MS = 2 * MINUTE_MS;

export interface Maintenance {
  readonly location: ReadingsLocation;
  start(): void;
  stop(): void;
  ready(): Promise<string>;
}

export function createMaintenance(options: {
  influx: InfluxClient;
  layout: RetentionLayout;
  log: Logger;
  now: () => number;
  /** lateWindowMs: how old readings the broker accepts (EM_BROKER_MAX_READING_AGE_MS); marksPollMs: how often marked hours are repaired. */
  reconcile: { intervalMs: number; lookbackMs: number; lateWindowMs: number; marksPollMs: number };
  metrics: ReadMetrics;
  /** Told which hours reconciliation recomputed (cached history of them is stale). */
  onRepaired?: (fromMs: number, toMs: number) => void;
}): Maintenance {
  const { influx, layout, log } = options;
  // Until setup has read it, assume InfluxDB's own default policy name.
  let rawPolicy = 'autogen';
  let stopped = false;
  const timers = new Set<NodeJS.Timeout>();
  let resolveReady: (policy: string) => void = () => undefined;
  const readyPromise = new Promise<string>((resolve) => {
    resolveReady = resolve;
  });

  const schedule = (work: () => Promise<void>, ms: number): void => {
    if (stopped) return;
    const timer = setTimeout(() => {
      timers.delete(timer);
      void work();
    }, ms);
    timer.unref();
    timers.add(timer);
  };
  // The two reconciliations run one at a time: both recompute rollup points, and a pass of one
  // would count hours the other is rewriting.
  let running: Promise<void> = Promise.resolve();
  const oneAtATime = (work: () => Promise<void>) => (): Promise<void> => (running = running.then(work));
  let swept: SweepSlice | undefined;
  const reconcile = oneAtATime(async (): Promise<void> => {
    try {
      const nowMs = options.now();
      const lookbackMs = Math.min(options.reconcile.lookbackMs, layout.rawRetentionMs);
      const pass = { nowMs, log, onRepaired: options.onRepaired };
      options.metrics.rollupRepairs(await reconcileRollups(influx, layout, rawPolicy, { ...pass, lookbackMs }));
      const slice = nextSweepSlice(swept, { nowMs, lookbackMs, windowMs: Math.min(options.reconcile.lateWindowMs, layout.rawRetentionMs) });
      if (slice !== undefined) options.metrics.rollupRepairs(await reconcileRange(influx, layout, rawPolicy, slice, pass));
      swept = slice;
    } catch (err) {
      log.warn({ err }, 'rollup reconciliation failed; will retry');
    }
    schedule(reconcile, options.reconcile.intervalMs);
  });
  let marksSinceMs = options.now() - MARKS_AT_START_MS;
  const repairMarked = oneAtATime(async (): Promise<void> => {
    try {
      const nowMs = options.now();
      const hours = await markedHours(influx, layout, rawPolicy, { sinceMs: marksSinceMs, untilMs: nowMs + MARKS_OVERLAP_MS });
      const oldestMs = nowMs - Math.min(options.reconcile.lateWindowMs, layout.rawRetentionMs);
      for (const range of hourRanges(hours.filter((hour) => hour >= oldestMs - HOUR_MS))) {
        options.metrics.rollupRepairs(await reconcileRange(influx, layout, rawPolicy, range, { nowMs, log, onRepaired: options.onRepaired }));
      }
      marksSinceMs = nowMs - MARKS_OVERLAP_MS;
    } catch (err) {
      log.warn({ err }, 'repairing the hours marked late failed; will retry');
    }
    schedule(repairMarked, options.reconcile.marksPollMs);
  });
  const setup = async (): Promise<void> => {
    try {
      rawPolicy = await ensureRetention(influx, layout, log, options.now());
      resolveReady(rawPolicy);
      schedule(reconcile, options.reconcile.intervalMs);
      schedule(repairMarked, options.reconcile.marksPollMs);
    } catch (err) {
      log.warn({ err }, 'retention setup failed; retrying');
      schedule(setup, SETUP_RETRY_MS);
    }
  };
  return {
    location: { database: layout.database, rawPolicy: () => rawPolicy },
    start: () => void setup(),
    stop() {
      stopped = true;
      for (const timer of timers) clearTimeout(timer);
    },
    ready: () => readyPromise,
  };
}
