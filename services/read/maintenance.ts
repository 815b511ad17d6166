// Background work on InfluxDB: retention policies and continuous queries at start (retried every few
// seconds while InfluxDB is down, so the service starts and recovers on its own), then periodic
// reconciliation of rollups with late raw data (influx/rollup-backfill.ts).
import type { Logger } from '../../lib/log.js';
import type { InfluxClient } from './influx/influx-client.js';
import type { ReadingsLocation } from './influx/readings-source.js';
import { reconcileRollups } from './influx/rollup-backfill.js';
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
  reconcile: { intervalMs: number; lookbackMs: number };
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
  const reconcile = async (): Promise<void> => {
    try {
      const lookbackMs = Math.min(options.reconcile.lookbackMs, layout.rawRetentionMs);
      options.metrics.rollupRepairs(await reconcileRollups(influx, layout, rawPolicy, { nowMs: options.now(), lookbackMs, log, onRepaired: options.onRepaired }));
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
