// Parent side of the connection storm: forks enough storm-client processes (each under the
// 20,000-open-files limit) to hold `agents` idle connections, and adds up what they report.
import { fork, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import type { StormClientConfig, StormClientReport } from './storm-client.js';

const CLIENT_ENTRY = fileURLToPath(new URL('./storm-client.ts', import.meta.url));

export interface StormFleetOptions {
  readonly host: string;
  readonly port: number;
  readonly agents: number;
  /** Connections/s over all client processes; 0 = as fast as the broker answers. */
  readonly connectRate: number;
  readonly keepaliveS: number;
  readonly perProcess: number;
  readonly sourceAddresses: readonly string[];
  readonly clientIdPrefix: string;
}

/** Totals so far plus what arrived since the last `take()`. */
export interface StormTotals {
  connected: number;
  failed: number;
  lost: number;
  firstError: string | undefined;
  /** Epoch ms: the earliest connection attempt and the latest CONNACK of any client process. */
  firstAttemptAtMs: number | undefined;
  lastConnackAtMs: number | undefined;
}

export interface StormFleet {
  readonly processes: number;
  readonly totals: Readonly<StormTotals>;
  /** CONNACK latencies (ms) reported since the previous call. */
  takeConnackMs(): number[];
  /** Every client process has tried every one of its connections. */
  attemptedAll(): boolean;
  close(): Promise<void>;
}

export function stormSourceAddresses(count: number): string[] {
  // 127.0.0.1 is the broker's; on Linux all of 127.0.0.0/8 answers on the loopback interface.
  return Array.from({ length: count }, (_, i) => `127.0.0.${i + 2}`);
}

export function startStormFleet(options: StormFleetOptions): StormFleet {
  const processes = Math.ceil(options.agents / options.perProcess);
  const totals: StormTotals = { connected: 0, failed: 0, lost: 0, firstError: undefined, firstAttemptAtMs: undefined, lastConnackAtMs: undefined };
  let connackMs: number[] = [];
  const done = new Set<number>();
  const children: ChildProcess[] = [];
  for (let p = 0; p < processes; p++) {
    const firstAgent = p * options.perProcess;
    const config: StormClientConfig = {
      host: options.host,
      port: options.port,
      firstAgent,
      count: Math.min(options.perProcess, options.agents - firstAgent),
      ratePerS: options.connectRate === 0 ? 0 : Math.max(1, Math.round(options.connectRate / processes)),
      maxPending: 64,
      keepaliveS: options.keepaliveS,
      sourceAddresses: options.sourceAddresses,
      clientIdPrefix: options.clientIdPrefix,
    };
    const child = fork(CLIENT_ENTRY, [], { execArgv: ['--import', 'tsx'], env: { ...process.env, EM_STORM_CLIENT: JSON.stringify(config) }, stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
    child.on('message', (report: StormClientReport) => {
      totals.connected += report.connected;
      totals.failed += report.failed;
      totals.lost += report.lost;
      totals.firstError ??= report.firstError;
      if (report.firstAttemptAtMs !== undefined) totals.firstAttemptAtMs = Math.min(totals.firstAttemptAtMs ?? Infinity, report.firstAttemptAtMs);
      if (report.lastConnackAtMs !== undefined) totals.lastConnackAtMs = Math.max(totals.lastConnackAtMs ?? 0, report.lastConnackAtMs);
      for (const ms of report.connackMs) connackMs.push(ms);
      if (report.attemptedAll) done.add(p);
    });
    child.on('exit', (code) => {
      if (code !== 0 && code !== null) totals.firstError ??= `storm client ${p} exited with code ${code}`;
      done.add(p);
    });
    children.push(child);
  }
  return {
    processes,
    totals,
    takeConnackMs() {
      const taken = connackMs;
      connackMs = [];
      return taken;
    },
    attemptedAll: () => done.size === processes,
    async close() {
      await Promise.all(
        children.map(async (child) => {
          if (child.exitCode !== null || child.signalCode !== null) return;
          const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
          if (child.connected) child.send({ kind: 'close' });
          const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
          await exited;
          clearTimeout(timer);
        }),
      );
    },
  };
}
