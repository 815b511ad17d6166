// What a process costs, read from /proc (Linux): resident memory, CPU time, and its open-files limit.
// Works the same for Node processes and Mosquitto, so every storm target is measured one way.
import { execFile } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import { promisify } from 'node:util';

/** USER_HZ: /proc/<pid>/stat counts CPU time in ticks of 1/100 s on Linux. */
const TICKS_PER_S = 100;

export async function rssBytes(pid: number): Promise<number> {
  const status = await readFile(`/proc/${pid}/status`, 'utf8');
  const match = /^VmRSS:\s+(\d+) kB$/m.exec(status);
  if (match === null) throw new Error(`no VmRSS for pid ${pid}`);
  return Number(match[1]) * 1024;
}

/** utime + stime in seconds. The command name (field 2) may hold spaces, so fields count from its ')'. */
export async function cpuSeconds(pid: number): Promise<number> {
  const stat = await readFile(`/proc/${pid}/stat`, 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  // After ')' the fields start at #3 (state); utime is #14, stime #15.
  return (Number(fields[11]) + Number(fields[12])) / TICKS_PER_S;
}

export async function openFilesLimit(pid: number | 'self'): Promise<{ soft: number; hard: number }> {
  const limits = await readFile(`/proc/${pid}/limits`, 'utf8');
  const match = /^Max open files\s+(\S+)\s+(\S+)/m.exec(limits);
  const value = (v: string | undefined): number => (v === 'unlimited' ? Number.POSITIVE_INFINITY : Number(v));
  return { soft: value(match?.[1]), hard: value(match?.[2]) };
}

/**
 * Raises a running process's soft open-files limit to its hard limit (prlimit(1); Node cannot call
 * setrlimit). A broker started with a soft limit of 1,024 would refuse the storm after ~1,000 sockets.
 */
export async function raiseOpenFilesLimit(pid: number): Promise<{ soft: number; hard: number }> {
  const { hard } = await openFilesLimit(pid);
  if (Number.isFinite(hard)) await promisify(execFile)('prlimit', [`--pid=${pid}`, `--nofile=${hard}:${hard}`]);
  return openFilesLimit(pid);
}
