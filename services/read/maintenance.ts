// Background work on InfluxDB: retention policies and continuous queries at start (retried every few
// seconds while InfluxDB is down, so the service starts and recovers on its own), then periodic
// reconciliation of rollups with late raw data (influx/rollup-backfill.ts): the last lookback at
// every pass, and one more day of the late window per pass (domain/late-sweep.ts).
import type { Logger } from '../../lib/log.js';
import type { InfluxClient } from './influx/influx-client.js';
import type { ReadingsLocation } from './influx/readings-source.js';
import { nextSweepSlice, type SweepSlice } from './domain/late-sweep.js';
import { reconcileRange, reconcileRollups } from './influx/rollup-backfill.js';
import type { RetentionLayout } from './influx/rollup-layout.js';
import { ensureRetention } from './influx/retention-setup.js';
import type { ReadMetrics } from './metrics.js';

const SETUP_RETRY_MS = 5_000;

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
  /** lateWindowMs: how old readings the broker accepts (EM_BROKER_MAX_READING_AGE_MS). */
  reconcile: { intervalMs: number; lookbackMs: number; lateWindowMs: number };
  metrics: ReadMetrics;
  /** Told which hours reconciliation recomputed (cached history of them is stale). */
  onRepaired?: (fromMs: number, toMs: number) => void;
}): Maintenance {
  const { influx, layout, log } = options;
  // Until setup has read it, assume InfluxDB's own default policy name.
  let rawPolicy = 'autogen';
  let stopped = false;
  let timer: NodeJS.Timeout | undefined;
  let resolveReady: (policy: string) => void = () => undefined;
  const readyPromise = new Promise<string>((resolve) => {
    resolveReady = resolve;
  });

  const schedule = (work: () => Promise<void>, ms: number): void => {
    if (stopped) return;
    timer = setTimeout(() => void work(), ms);
    timer.unref();
  };
  let swept: SweepSlice | undefined;
  const reconcile = async (): Promise<void> => {
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
  };
  const setup = async (): Promise<void> => {
    try {
      rawPolicy = await ensureRetention(influx, layout, log, options.now());
      resolveReady(rawPolicy);
      schedule(reconcile, options.reconcile.intervalMs);
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
      clearTimeout(timer);
    },
    ready: () => readyPromise,
  };
}
