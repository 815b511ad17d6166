// The live line printed once a second while a phase runs (PerfTest's "id: test-…, time …, sent …").
import type { SecondSample } from './per-second.js';

export interface Totals {
  readonly sent: number;
  readonly acked: number;
  readonly stored: number | undefined;
}

const n = (v: number): string => Math.round(v).toLocaleString('en-US');
const ms = (v: number): string => (Number.isFinite(v) ? v.toFixed(v < 10 ? 2 : 1) : '-');

export function formatProgressLine(target: string, sample: SecondSample, totals: Totals, unit: string): string {
  const stored = totals.stored === undefined ? '' : `, stored ${n(sample.stored)}/s (total ${n(totals.stored)})`;
  return (
    `[${target}] ${String(sample.second + 1).padStart(3)} s: sent ${n(sample.sent)} ${unit}/s, acked ${n(sample.acked)} ${unit}/s${stored}; ` +
    `latency p50 ${ms(sample.p50Ms)} ms p99 ${ms(sample.p99Ms)} ms max ${ms(sample.maxMs)} ms; totals sent ${n(totals.sent)} acked ${n(totals.acked)}`
  );
}
