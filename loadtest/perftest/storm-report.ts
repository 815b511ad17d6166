// The final report of a connection storm: a table on stdout, JSON and an SVG chart in the results folder.
import { writeFile } from 'node:fs/promises';
import { cpus, loadavg, totalmem } from 'node:os';
import { join } from 'node:path';
import { prepareOutputFolder } from '../lib/output-location.js';
import type { PerftestOptions } from './options.js';
import { renderStormChartSvg } from './storm-chart.js';
import type { StormResult } from './storm-result.js';

export interface StormReport {
  readonly startedAt: string;
  readonly machine: { readonly cpus: number; readonly memoryBytes: number; readonly node: string; readonly loadAverageBefore: readonly number[]; readonly loadAverage: readonly number[] };
  readonly options: PerftestOptions;
  readonly runs: readonly StormResult[];
}

const round2 = (values: readonly number[]): number[] => values.map((v) => Number(v.toFixed(2)));

export function buildStormReport(options: PerftestOptions, startedAt: Date, loadAverageBefore: readonly number[], runs: readonly StormResult[]): StormReport {
  return {
    startedAt: startedAt.toISOString(),
    machine: { cpus: cpus().length, memoryBytes: totalmem(), node: process.version, loadAverageBefore: round2(loadAverageBefore), loadAverage: round2(loadavg()) },
    options,
    runs,
  };
}

const num = (v: number | undefined, digits = 0): string =>
  v === undefined || !Number.isFinite(v) ? '-' : v.toLocaleString('en-US', { minimumFractionDigits: digits, maximumFractionDigits: digits });
const mb = (bytes: number | undefined): string => (bytes === undefined ? '-' : num(bytes / 1024 / 1024, 1));
const pct = (share: number): string => (Number.isFinite(share) ? `${(share * 100).toFixed(share < 0.1 ? 1 : 0)}%` : '-');

/**
 * An idle Node process's RSS moves by a few MB by itself (allocator arenas, V8 pages released or
 * kept): an RSS difference smaller than this, or negative, says nothing about a connection's cost.
 */
export const RSS_NOISE_BYTES = 4 * 1024 * 1024;

/** Why the after-GC RSS per connection is not a figure (below noise or negative), or undefined. */
export function afterGcRssProblem(r: StormResult): string | undefined {
  if (r.afterGc === undefined) return undefined;
  const grewBytes = r.afterGc.rssBytes - r.rssBeforeBytes;
  if (grewBytes < 0) {
    return `RSS after GC (${mb(r.afterGc.rssBytes)} MB) is below RSS before connecting (${mb(r.rssBeforeBytes)} MB): the GC returned more than the connections hold`;
  }
  if (grewBytes < RSS_NOISE_BYTES) {
    return `RSS after GC grew by ${mb(grewBytes)} MB only, less than the ${mb(RSS_NOISE_BYTES)} MB an idle Node process's RSS moves by itself`;
  }
  return undefined;
}

export function formatStormTable(report: StormReport): string {
  const header = ['broker', 'held', 'failed', 'lost', 'conn/s', 'CONNACK p50 ms', 'p99 ms', 'RSS before MB', 'RSS after MB', 'RSS/conn KB', 'heap used/total MB', 'heap/conn KB', 'after GC: RSS/conn KB', 'live heap/conn KB', 'CPU connecting', 'CPU ms/conn', 'CPU idle'];
  const rows = report.runs.map((r) => [
    r.target,
    num(r.held),
    num(r.failed),
    num(r.lost),
    num(r.connectsPerSecond),
    num(r.connackMs.p50, 2),
    num(r.connackMs.p99, 2),
    mb(r.rssBeforeBytes),
    mb(r.rssAfterBytes),
    num(r.rssPerConnectionKb, 1),
    r.heapUsedAfterBytes === undefined ? '-' : `${mb(r.heapUsedAfterBytes)}/${mb(r.heapTotalAfterBytes)}`,
    num(r.heapPerConnectionKb, 1),
    afterGcRssProblem(r) === undefined ? num(r.afterGc?.rssPerConnectionKb, 1) : 'n/a',
    num(r.afterGc?.heapPerConnectionKb, 1),
    pct(r.connectCpuShare),
    num(r.cpuMsPerConnect, 2),
    pct(r.idleCpuShare),
  ]);
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((row) => row[i]!.length)));
  const line = (cells: readonly string[]): string => cells.map((c, i) => (i === 0 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!))).join('  ');
  const o = report.options;
  const notes = report.runs.flatMap((r) => [
    ...r.notes,
    `${r.clientProcesses} client processes, ${r.sourceAddresses} source addresses, broker open files ${r.openFilesLimit.soft}/${r.openFilesLimit.hard}, idle CPU over ${num(r.settleMs / 1000, 1)} s`,
    ...(r.firstError === undefined ? [] : [`first error: ${r.firstError}`]),
    ...[afterGcRssProblem(r)].filter((problem) => problem !== undefined).map((problem) => `after GC: RSS/conn n/a: ${problem}; more agents (-x) give a figure`),
  ].map((note) => `  ${r.target}: ${note}`));
  return [
    `perftest connection-storm: ${o.agents} idle agents, connect rate ${o.connectRate === 0 ? 'as fast as it goes' : `${o.connectRate}/s`}, keep-alive ${o.keepaliveS} s, ` +
      `settle ${o.settleMs / 1000} s; ${report.machine.cpus} cores, load average before ${report.machine.loadAverageBefore.join(' ')}, after ${report.machine.loadAverage.join(' ')}`,
    line(header),
    line(header.map((_, i) => '-'.repeat(widths[i]!))),
    ...rows.map(line),
    ...(notes.length > 0 ? ['notes:', ...notes] : []),
  ].join('\n');
}

export async function writeStormReportFiles(report: StormReport): Promise<{ json: string; svg: string }> {
  const dir = await prepareOutputFolder(report.options.resultsDir, '--results-dir');
  const stamp = report.startedAt.replace(/[:.]/g, '-');
  const base = join(dir, ['connection-storm', report.options.label, stamp].filter((part) => part !== undefined).join('-'));
  await writeFile(`${base}.json`, `${JSON.stringify(report, null, 2)}\n`);
  const title = `perftest connection-storm ${report.startedAt} (load ${report.machine.loadAverage.join(' ')})`;
  await writeFile(`${base}.svg`, renderStormChartSvg(title, report.runs));
  return { json: `${base}.json`, svg: `${base}.svg` };
}
