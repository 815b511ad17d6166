// Peak resident memory per process name, across restarts: samples /proc/<pid>/status (VmRSS, and
// VmHWM — the kernel's own high-water mark — whenever a process is about to go away).
import { readFileSync } from 'node:fs';

function statusKb(pid: number, field: 'VmRSS' | 'VmHWM'): number {
  try {
    const match = new RegExp(`^${field}:\\s+(\\d+) kB`, 'm').exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return match === null ? 0 : Number(match[1]);
  } catch {
    return 0; // already gone
  }
}

export interface RssSampler {
  track(name: string, pid: number): void;
  /** Records the kernel's high-water mark of a process just before it is stopped or killed. */
  capture(name: string, pid: number): void;
  peaksMb(): Record<string, number>;
  stop(): void;
}

export function startRssSampler(intervalMs = 500): RssSampler {
  const tracked = new Map<number, string>();
  const peaksKb = new Map<string, number>();
  const note = (name: string, kb: number): void => {
    peaksKb.set(name, Math.max(peaksKb.get(name) ?? 0, kb));
  };
  const timer = setInterval(() => {
    for (const [pid, name] of tracked) note(name, statusKb(pid, 'VmRSS'));
  }, intervalMs);
  timer.unref();
  return {
    track(name, pid) {
      tracked.set(pid, name);
    },
    capture(name, pid) {
      note(name, statusKb(pid, 'VmHWM'));
      tracked.delete(pid);
    },
    peaksMb() {
      return Object.fromEntries([...peaksKb].map(([name, kb]) => [name, Math.round(kb / 1024)]));
    },
    stop() {
      clearInterval(timer);
      for (const [pid, name] of tracked) note(name, statusKb(pid, 'VmHWM'));
    },
  };
}
