// Runs one load phase against one target: a live line each second, per-second samples, CPU per
// process, and (when the target stores asynchronously) waiting until everything acknowledged is
// stored, still sampling, so the chart shows the drain.
import { summarize } from '../lib/percentiles.js';
import { startCpuMeter } from '../lib/process-cpu.js';
import type { FleetEvents, FleetResult } from './mqtt-fleet.js';
import { PerSecondSeries } from './per-second.js';
import { formatProgressLine } from './progress-line.js';
import type { RunResult } from './run-result.js';

/** How a run talks back and is stopped early (Ctrl-C: finish the phase short, then clean up). */
export interface RunContext {
  readonly print: (line: string) => void;
  readonly signal: AbortSignal;
}

export interface PhaseSpec {
  readonly target: string;
  readonly unit: RunResult['unit'];
  readonly storedMeaning?: string;
  /** A cumulative counter of what the target has stored (a /metrics scrape). */
  readonly readStoredTotal?: () => Promise<number>;
  /** After the load: wait until the stored counter reaches this (from the acked count). */
  readonly storedGoal?: (acked: number) => number;
  readonly cpuPids: Readonly<Record<string, number | undefined>>;
  readonly load: (events: FleetEvents) => Promise<FleetResult>;
  readonly notes?: readonly string[];
  /** Latencies of acks before this point of the run are left out of `steadyLatencyMs` (JIT, first writes). */
  readonly warmupMs?: number;
  /** Longest wait for stored to reach its goal. */
  readonly drainTimeoutMs?: number;
}

export async function runPhase(spec: PhaseSpec, ctx: RunContext): Promise<RunResult> {
  const { print, signal } = ctx;
  const baseline = spec.readStoredTotal === undefined ? 0 : await spec.readStoredTotal();
  const series = new PerSecondSeries(baseline);
  let sent = 0;
  let acked = 0;
  let storedTotal = baseline;
  const steadyLatenciesMs: number[] = [];
  const started = performance.now();
  let second = 0;
  const closeSeconds = async (): Promise<void> => {
    // The tick at k s closes second k-1: the stored counter read now is its end-of-second total.
    const closing = Math.floor((performance.now() - started) / 1000) - 1;
    if (closing < second) return;
    if (spec.readStoredTotal !== undefined) {
      storedTotal = await spec.readStoredTotal().catch(() => storedTotal);
      series.recordStoredTotal(closing * 1000 + 999, storedTotal);
    }
    for (; second <= closing; second++) {
      const sample = series.sample(second) ?? { second, sent: 0, acked: 0, stored: 0, p50Ms: NaN, p99Ms: NaN, maxMs: NaN };
      print(formatProgressLine(spec.target, sample, { sent, acked, stored: spec.readStoredTotal && storedTotal - baseline }, spec.unit));
    }
  };
  // Ticks run one after another (a slow /metrics scrape must not interleave two of them).
  let ticks = Promise.resolve();
  const tick = (): Promise<void> => (ticks = ticks.then(closeSeconds));
  // One tick just after each whole second of the run. Scheduled from performance.now() rather than
  // setInterval: Node's timer clock can run a millisecond behind it, so an interval tick may land
  // just before the boundary and close nothing, and the next one a second late.
  let ticker: NodeJS.Timeout | undefined;
  let ticking = true;
  const scheduleTick = (): void => {
    if (!ticking) return;
    const delayMs = (second + 1) * 1000 + 20 - (performance.now() - started);
    ticker = setTimeout(() => void tick().finally(scheduleTick), Math.max(0, delayMs));
  };
  scheduleTick();
  const stopTicker = (): void => {
    ticking = false;
    clearTimeout(ticker);
  };
  const cpuMeter = startCpuMeter(spec.cpuPids);
  try {
    const load = await spec.load({
      signal,
      onSent: (atMs, count = 1) => {
        sent += count;
        series.recordSent(atMs, count);
      },
      onAck: (atMs, latencyMs, count = 1) => {
        acked += count;
        if (atMs >= (spec.warmupMs ?? 0) && Number.isFinite(latencyMs)) steadyLatenciesMs.push(latencyMs);
        series.recordAck(atMs, latencyMs, count);
      },
    });
    const cpu = cpuMeter.stop();
    let storedPerSecond: number | undefined;
    if (spec.readStoredTotal !== undefined && spec.storedGoal !== undefined) {
      const goal = baseline + spec.storedGoal(load.acked);
      const until = performance.now() + (spec.drainTimeoutMs ?? 60_000);
      while (storedTotal < goal && performance.now() < until && !signal.aborted) {
        await new Promise((r) => setTimeout(r, 100));
        storedTotal = await spec.readStoredTotal().catch(() => storedTotal);
      }
      storedPerSecond = ((storedTotal - baseline) / (performance.now() - started)) * 1000;
    } else if (spec.readStoredTotal !== undefined) {
      storedTotal = await spec.readStoredTotal().catch(() => storedTotal);
    }
    stopTicker();
    await tick();
    return {
      target: spec.target,
      unit: spec.unit,
      storedMeaning: spec.storedMeaning,
      sent: load.sent,
      acked: load.acked,
      behind: load.behind,
      stored: spec.readStoredTotal === undefined ? undefined : storedTotal - baseline,
      storedPerSecond,
      elapsedMs: load.elapsedMs,
      latencyMs: summarize(load.latenciesMs),
      steadyLatencyMs: summarize(steadyLatenciesMs),
      warmupMs: spec.warmupMs ?? 0,
      cpu,
      // Whole seconds only: a last partial second would read as a drop in rate.
      samples: series.samples().slice(0, second),
      notes: [
        ...(spec.notes ?? []),
        ...(load.failed > 0 ? [`${load.failed} ${spec.unit === 'points' ? 'write requests' : 'publishes'} failed (connection closed or request refused)`] : []), ...(signal.aborted ? ['interrupted (Ctrl-C): the phase ended early and did not wait for storage'] : [])],
    };
  } finally {
    stopTicker();
  }
}
