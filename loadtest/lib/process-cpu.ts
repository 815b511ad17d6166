// CPU used by processes over a phase of a benchmark, from /proc/<pid>/stat (user + system time of
// all its threads, so influxd's Go threads and lmdb-js' write thread count). Shows whether the
// processes on a shared machine ask for more than its cores — the cause of queueing tails.
import { readFileSync } from 'node:fs';

/** Linux reports utime/stime in clock ticks; USER_HZ is 100 on every mainstream architecture. */
const TICKS_PER_SECOND = 100;

/** User + system CPU seconds of `pid` so far; undefined once the process is gone. */
export function cpuSecondsOf(pid: number): number | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // The command name (field 2) is in parentheses and may hold spaces: count from after it.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    // Fields 14 and 15 of stat are utime and stime; after the name, field 3 is index 0.
    return (Number(fields[11]) + Number(fields[12])) / TICKS_PER_SECOND;
  } catch {
    return undefined;
  }
}

export interface CpuMeter {
  /** Share of one core each process used since start(), e.g. 0.7 = 70 % of a core. */
  stop(): Record<string, number>;
}

export function startCpuMeter(pids: Readonly<Record<string, number | undefined>>): CpuMeter {
  const started = performance.now();
  const before = Object.fromEntries(Object.entries(pids).map(([name, pid]) => [name, pid === undefined ? undefined : cpuSecondsOf(pid)]));
  return {
    stop() {
      const seconds = (performance.now() - started) / 1000;
      const shares: Record<string, number> = {};
      for (const [name, pid] of Object.entries(pids)) {
        const then = before[name];
        const now = pid === undefined ? undefined : cpuSecondsOf(pid);
        if (then !== undefined && now !== undefined) shares[name] = (now - then) / seconds;
      }
      return shares;
    },
  };
}
