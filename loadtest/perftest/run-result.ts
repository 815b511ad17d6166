// What one load phase against one target produced; the report is built from a list of these.
import type { LatencySummary } from '../lib/percentiles.js';
import type { SecondSample } from './per-second.js';

export interface RunResult {
  /** The target measured, e.g. "energymonitor broker", "mosquitto", "influxdb raw". */
  readonly target: string;
  /** What one unit of sent/acked is: an MQTT message or an InfluxDB point. */
  readonly unit: 'msgs' | 'points';
  /** What `stored` counts, e.g. "messages journaled", "points in InfluxDB"; undefined when not observable. */
  readonly storedMeaning: string | undefined;
  readonly sent: number;
  readonly acked: number;
  /** Publishes skipped because a connection's window was full (the target fell behind the rate). */
  readonly behind: number;
  readonly stored: number | undefined;
  /** Stored per second from the start of the load until everything acknowledged was stored. */
  readonly storedPerSecond: number | undefined;
  /** Load phase only (until the last acknowledgement). */
  readonly elapsedMs: number;
  /** Whole phase. */
  readonly latencyMs: LatencySummary;
  /** Acknowledged after the warm-up (`warmupMs` into the run): the steady state. */
  readonly steadyLatencyMs: LatencySummary;
  readonly warmupMs: number;
  /** Share of one core per process over the load phase, e.g. { broker: 0.93 }. */
  readonly cpu: Readonly<Record<string, number>>;
  readonly samples: readonly SecondSample[];
  readonly notes: readonly string[];
}

export const ackedPerSecond = (r: RunResult): number => (r.elapsedMs > 0 ? (r.acked / r.elapsedMs) * 1000 : 0);
