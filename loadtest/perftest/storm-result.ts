// What one connection storm against one broker process produced; the storm report is a list of these.
import type { LatencySummary } from '../lib/percentiles.js';

export interface StormSecond {
  /** Whole seconds since the client processes were started. */
  readonly second: number;
  readonly phase: 'connect' | 'settle';
  /** CONNACKs received in this second. */
  readonly connects: number;
  /** Connections open at the end of this second. */
  readonly held: number;
  readonly rssBytes: number;
  /** Broker CPU in this second, as a share of one core. */
  readonly cpuShare: number;
}

export interface StormResult {
  readonly target: string;
  readonly pid: number;
  readonly agents: number;
  readonly clientProcesses: number;
  readonly sourceAddresses: number;
  readonly keepaliveS: number;
  /** The broker's open-files limit after raising it. */
  readonly openFilesLimit: { readonly soft: number; readonly hard: number };
  /** Open at the end of the settle period. */
  readonly held: number;
  /** Never got a CONNACK (refused, reset, out of files or ports). */
  readonly failed: number;
  /** Closed by the broker after their CONNACK, before the storm ended them. */
  readonly lost: number;
  readonly firstError: string | undefined;
  /** From the first connection attempt to the last CONNACK. */
  readonly connectSeconds: number;
  readonly connectsPerSecond: number;
  /** CONNECT written → CONNACK read, per connection. */
  readonly connackMs: LatencySummary;
  readonly rssBeforeBytes: number;
  readonly rssAfterBytes: number;
  /** (RSS after − RSS before) / held, in KiB. */
  readonly rssPerConnectionKb: number;
  readonly heapUsedBeforeBytes: number | undefined;
  readonly heapUsedAfterBytes: number | undefined;
  /** V8 heap committed at the end: used plus the free pages V8 kept after the connect burst. */
  readonly heapTotalAfterBytes: number | undefined;
  readonly heapPerConnectionKb: number | undefined;
  /**
   * Node brokers only: after a full GC forced through the inspector at the end of the settle period,
   * and V8's memory reducer that follows it (connection-storm.ts, AFTER_GC_WAIT_MS).
   * What the broker keeps per connection, without the garbage a connect burst leaves until V8's next
   * major GC (which an idle process may not run for minutes).
   */
  readonly afterGc: { readonly rssBytes: number; readonly rssPerConnectionKb: number; readonly heapUsedBytes: number; readonly heapPerConnectionKb: number } | undefined;
  /** Broker CPU while connecting, as a share of one core, and per connection. */
  readonly connectCpuShare: number;
  readonly cpuMsPerConnect: number;
  /** Broker CPU over the settle period (idle agents sending only PINGREQs), share of one core. */
  readonly idleCpuShare: number;
  readonly settleMs: number;
  readonly samples: readonly StormSecond[];
  readonly notes: readonly string[];
}
