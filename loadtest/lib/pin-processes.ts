// CPU affinity for a benchmark's processes: "broker=0;read=1" binds each named process (all its
// threads) to the CPUs given, via taskset. On two shared cores, where each process sits decides
// which wake-ups preempt whom; --pin lets a run say so instead of leaving it to the scheduler.
import { execFileSync } from 'node:child_process';

/** The parts of a --pin list, checked against the process names a benchmark knows. */
export function parsePinList(list: string, names: readonly string[]): { readonly name: string; readonly cpus: string }[] {
  return list
    .split(';')
    .filter((part) => part.trim() !== '')
    .map((part) => {
      const [name, cpus] = part.split('=').map((x) => x.trim());
      if (name === undefined || !names.includes(name) || cpus === undefined || !/^[0-9,-]+$/.test(cpus)) {
        throw new Error(`--pin: "${part}" is not <${names.join('|')}>=<cpu list>`);
      }
      return { name, cpus };
    });
}

/** Pins each named process; says what it did. A name whose process is not running is an error. */
export function pinProcesses(list: string, pids: Readonly<Record<string, number | undefined>>): void {
  for (const { name, cpus } of parsePinList(list, Object.keys(pids))) {
    const pid = pids[name];
    if (pid === undefined) throw new Error(`--pin: no ${name} process in this run`);
    execFileSync('taskset', ['-a', '-cp', cpus, String(pid)], { stdio: 'ignore' });
    console.log(`pinned ${name} (pid ${pid}) to CPU ${cpus}`);
  }
}
