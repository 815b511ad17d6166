// The live line of a connection storm, printed once a second per broker.
import type { LatencySummary } from '../lib/percentiles.js';
import type { StormTotals } from './storm-fleet.js';
import type { StormSecond } from './storm-result.js';

const n = (v: number): string => Math.round(v).toLocaleString('en-US');
const ms = (v: number): string => (Number.isFinite(v) ? v.toFixed(v < 10 ? 2 : 1) : '-');
const mb = (bytes: number): string => (bytes / 1024 / 1024).toFixed(1);

export function formatStormProgress(target: string, sample: StormSecond, totals: Readonly<StormTotals>, connack: LatencySummary): string {
  const cpu = Number.isFinite(sample.cpuShare) ? `${Math.round(sample.cpuShare * 100)}%` : '-';
  return (
    `[${target}] ${String(sample.second + 1).padStart(3)} s ${sample.phase}: ${n(sample.connects)} conn/s, held ${n(sample.held)}, ` +
    `failed ${n(totals.failed)}, lost ${n(totals.lost)}; CONNACK p50 ${ms(connack.p50)} ms p99 ${ms(connack.p99)} ms; ` +
    `broker RSS ${mb(sample.rssBytes)} MB, CPU ${cpu}`
  );
}
