// The share of CPU time the hypervisor gave to other guests during a benchmark phase ("steal" in
// /proc/stat). On a shared VM it varies from run to run, and runs with more of it are slower across
// the board; printing it next to a latency lets a reader tell a slower build from a busier host.
import { readFileSync } from 'node:fs';

export interface CpuTicks {
  readonly total: number;
  readonly steal: number;
}

/** The machine-wide `cpu` line of /proc/stat: user nice system idle iowait irq softirq steal … */
export function parseCpuTicks(procStat: string): CpuTicks | undefined {
  const line = procStat.split('\n').find((l) => l.startsWith('cpu '));
  if (line === undefined) return undefined;
  const fields = line.trim().split(/\s+/).slice(1, 9).map(Number);
  if (fields.length < 8 || fields.some((n) => !Number.isFinite(n))) return undefined;
  // guest and guest_nice (fields 9–10) are already counted in user and nice.
  return { total: fields.reduce((a, b) => a + b, 0), steal: fields[7] ?? 0 };
}

export function readCpuTicks(): CpuTicks | undefined {
  try {
    return parseCpuTicks(readFileSync('/proc/stat', 'utf8'));
  } catch {
    return undefined;
  }
}

/** Steal as a share of all CPU time between two readings (0.05 = 5 %); NaN when unknown. */
export function stealShare(before: CpuTicks | undefined, after: CpuTicks | undefined): number {
  if (before === undefined || after === undefined || after.total <= before.total) return Number.NaN;
  return (after.steal - before.steal) / (after.total - before.total);
}
