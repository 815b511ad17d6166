// perftest --mode connection-storm: for each target broker in turn, start it alone, connect N idle
// agents from several client processes, let them sit for the settle period, and measure the broker
// process: connect rate and CONNACK latency, RSS and heap per connection, CPU connecting and idle.
import { setTimeout as sleep } from 'node:timers/promises';
import { makeTempDir } from '../../test/support/temp-dir.js';
import { summarize } from '../lib/percentiles.js';
import type { PerftestOptions, StormTargetName } from './options.js';
import { INSPECT_FLAG } from './inspector-gc.js';
import { cpuSeconds, rssBytes } from './proc-stats.js';
import type { RunContext } from './run-phase.js';
import { startStormFleet, stormSourceAddresses, type StormFleet } from './storm-fleet.js';
import { formatStormProgress } from './storm-progress.js';
import type { StormResult, StormSecond } from './storm-result.js';
import { startStormTarget, type StormTarget } from './storm-targets.js';

/** Quiet time after the broker starts, before "RSS before" is read: start-up allocations settle. */
const STARTUP_SETTLE_MS = 2_000;
/**
 * A full GC starts V8's memory reducer, which about 8 s later (allocation being low) compacts the
 * heap and returns the emptied pages; RSS drops only then (measured: 254 MB right after the GC,
 * 227 MB from +9 s on, 19,000 connections). Wait past it before reading RSS.
 */
const AFTER_GC_WAIT_MS = 12_000;
/** Give up connecting after this long even if some connections never resolved. */
const connectTimeoutMs = (agents: number): number => Math.max(60_000, agents * 10);

export async function runConnectionStorm(o: PerftestOptions, ctx: RunContext): Promise<StormResult[]> {
  const results: StormResult[] = [];
  for (const name of o.targets) {
    if (ctx.signal.aborted) break;
    results.push(await stormOne(name, o, ctx));
  }
  return results;
}

async function stormOne(name: StormTargetName, o: PerftestOptions, ctx: RunContext): Promise<StormResult> {
  const dir = makeTempDir('storm');
  const target = await startStormTarget(name, { folder: dir.path, nodeOptions: o.brokerNodeOptions });
  let fleet: StormFleet | undefined;
  try {
    await sleep(STARTUP_SETTLE_MS);
    const heapBefore = (await target.heap())?.usedBytes;
    const rssBefore = await rssBytes(target.pid);
    const cpuAtStart = await cpuSeconds(target.pid);
    const startedAt = Date.now();
    fleet = startStormFleet({
      host: target.host,
      port: target.port,
      agents: o.agents,
      connectRate: o.connectRate,
      keepaliveS: o.keepaliveS,
      perProcess: o.perProcess,
      sourceAddresses: stormSourceAddresses(o.sourceAddresses),
      clientIdPrefix: `storm${startedAt.toString(36)}`,
    });
    const sampler = secondSampler(target, fleet, ctx, startedAt);
    const connectDeadline = startedAt + connectTimeoutMs(o.agents);
    while (!fleet.attemptedAll() && Date.now() < connectDeadline && !ctx.signal.aborted) await sampler.second('connect');
    // Reports arrive once a second: one more makes sure the last CONNACKs are counted.
    await sampler.second('connect');
    const cpuConnected = await cpuSeconds(target.pid);
    const settleEnd = Date.now() + o.settleMs;
    while (Date.now() < settleEnd && !ctx.signal.aborted) await sampler.second('settle');
    const cpuSettled = await cpuSeconds(target.pid);
    const settledMs = Math.max(1, Date.now() - settleEnd + o.settleMs);
    const rssAfter = await rssBytes(target.pid);
    const heapAfterFigures = await target.heap();
    const heapAfter = heapAfterFigures?.usedBytes;

    const t = fleet.totals;
    const held = t.connected - t.lost;
    const afterGc = await measureAfterGc(target, rssBefore, heapBefore, held);
    const connectMs = t.firstAttemptAtMs !== undefined && t.lastConnackAtMs !== undefined ? Math.max(1, t.lastConnackAtMs - t.firstAttemptAtMs) : Number.NaN;
    const perConnectionKb = (before: number | undefined, after: number | undefined): number | undefined =>
      before === undefined || after === undefined || held === 0 ? undefined : (after - before) / held / 1024;
    return {
      target: target.label,
      pid: target.pid,
      agents: o.agents,
      clientProcesses: fleet.processes,
      sourceAddresses: o.sourceAddresses,
      keepaliveS: o.keepaliveS,
      openFilesLimit: target.openFiles,
      held,
      failed: t.failed,
      lost: t.lost,
      firstError: t.firstError,
      connectSeconds: connectMs / 1000,
      connectsPerSecond: t.connected / (connectMs / 1000),
      connackMs: summarize(sampler.connackMs),
      rssBeforeBytes: rssBefore,
      rssAfterBytes: rssAfter,
      rssPerConnectionKb: perConnectionKb(rssBefore, rssAfter) ?? Number.NaN,
      heapUsedBeforeBytes: heapBefore,
      heapUsedAfterBytes: heapAfter,
      heapTotalAfterBytes: heapAfterFigures?.totalBytes,
      heapPerConnectionKb: perConnectionKb(heapBefore, heapAfter),
      afterGc,
      connectCpuShare: (cpuConnected - cpuAtStart) / (connectMs / 1000),
      cpuMsPerConnect: t.connected === 0 ? Number.NaN : ((cpuConnected - cpuAtStart) * 1000) / t.connected,
      idleCpuShare: (cpuSettled - cpuConnected) / (settledMs / 1000),
      settleMs: settledMs,
      samples: sampler.samples,
      notes: notesFor(name, o),
    };
  } finally {
    await fleet?.close();
    await target.stop();
    dir.remove();
  }
}

/** RSS and heap per connection after a forced full GC (Node brokers), once V8 has returned the freed pages. */
async function measureAfterGc(target: StormTarget, rssBefore: number, heapBefore: number | undefined, held: number): Promise<StormResult['afterGc']> {
  if (target.collectGarbage === undefined || heapBefore === undefined || held === 0) return undefined;
  await target.collectGarbage();
  await sleep(AFTER_GC_WAIT_MS);
  const rss = await rssBytes(target.pid);
  const heapUsed = (await target.heap())?.usedBytes ?? Number.NaN;
  return { rssBytes: rss, rssPerConnectionKb: (rss - rssBefore) / held / 1024, heapUsedBytes: heapUsed, heapPerConnectionKb: (heapUsed - heapBefore) / held / 1024 };
}

/** Waits out one second, then records and prints what it held. */
function secondSampler(target: StormTarget, fleet: StormFleet, ctx: RunContext, startedAt: number) {
  const samples: StormSecond[] = [];
  const connackMs: number[] = [];
  let lastCpu: number | undefined;
  let lastConnected = 0;
  return {
    samples,
    connackMs,
    async second(phase: StormSecond['phase']): Promise<void> {
      await sleep(startedAt + (samples.length + 1) * 1000 - Date.now());
      const cpu = await cpuSeconds(target.pid);
      const latest = fleet.takeConnackMs();
      for (const ms of latest) connackMs.push(ms);
      const t = fleet.totals;
      const sample: StormSecond = { second: samples.length, phase, connects: t.connected - lastConnected, held: t.connected - t.lost, rssBytes: await rssBytes(target.pid), cpuShare: lastCpu === undefined ? Number.NaN : cpu - lastCpu };
      lastCpu = cpu;
      lastConnected = t.connected;
      samples.push(sample);
      ctx.print(formatStormProgress(target.label, sample, t, summarize(latest)));
    },
  };
}

function notesFor(name: StormTargetName, o: PerftestOptions): string[] {
  const notes = [`${o.agents} idle agents, keep-alive ${o.keepaliveS} s (one PINGREQ each per period), clean sessions, no subscriptions`];
  if (name === 'ours') notes.push('EM_BROKER_AUTH=disabled (no credential check per CONNECT), journal not durable (no publishes in a storm)');
  if (name !== 'mosquitto') {
    const nodeOptions = o.brokerNodeOptions;
    notes.push(`${nodeOptions === '' ? 'no V8 flags' : `NODE_OPTIONS=${nodeOptions}`}, plus ${INSPECT_FLAG} for the forced GC at the end`);
  }
  return notes;
}
