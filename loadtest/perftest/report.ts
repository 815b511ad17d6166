// The final report of a perftest run: a table on stdout, JSON and an SVG chart in the results folder.
import { writeFile } from 'node:fs/promises';
import { cpus, loadavg } from 'node:os';
import { join } from 'node:path';
import { prepareOutputFolder } from '../lib/output-location.js';
import type { PerftestOptions } from './options.js';
import { ackedPerSecond, type RunResult } from './run-result.js';
import { renderChartSvg } from './svg-chart.js';
import { pacedBatchLines } from './influx-raw-load.js';

export interface PerftestReport {
  readonly startedAt: string;
  readonly machine: { readonly cpus: number; readonly node: string; readonly loadAverage: readonly number[] };
  readonly options: PerftestOptions;
  readonly runs: readonly RunResult[];
}

export function buildReport(options: PerftestOptions, startedAt: Date, runs: readonly RunResult[]): PerftestReport {
  return {
    startedAt: startedAt.toISOString(),
    machine: { cpus: cpus().length, node: process.version, loadAverage: loadavg().map((v) => Number(v.toFixed(2))) },
    options,
    runs,
  };
}

const num = (v: number | undefined, digits = 0): string =>
  v === undefined || !Number.isFinite(v) ? '-' : v.toLocaleString('en-US', { minimumFractionDigits: digits, maximumFractionDigits: digits });

/** What was loaded: influx-raw posts line protocol over HTTP (no agents, connections or QoS). */
function headline(o: PerftestOptions): string {
  const rate = (unit: string): string => (o.rate === 0 ? 'unlimited' : `${o.rate}${unit}/s`);
  if (o.mode === 'influx-raw') {
    return (
      `perftest influx-raw: ${o.agents} households, rate ${rate(' points')}, ${o.readings} points per container, ` +
      `${pacedBatchLines({ rate: o.rate, batchLines: o.batchLines, readings: o.readings })}-line write requests, ${o.requestsInFlight} in flight`
    );
  }
  return `perftest ${o.mode}: ${o.agents} agents on ${o.connections} connections, rate ${rate('')}, ${o.readings} readings/msg, QoS${o.qos}`;
}

/** A fixed-width text table, one row per run. */
export function formatTable(report: PerftestReport): string {
  const header = ['target', 'unit', 'sent', 'acked', 'acked/s', 'behind', 'stored', 'p50 ms', 'p99 ms', 'max ms', 'steady p50', 'steady p99', 'cpu'];
  const rows = report.runs.map((r) => [
    r.target,
    r.unit,
    num(r.sent),
    num(r.acked),
    num(ackedPerSecond(r)),
    num(r.behind),
    num(r.stored),
    num(r.latencyMs.p50, 2),
    num(r.latencyMs.p99, 2),
    num(r.latencyMs.max, 1),
    num(r.steadyLatencyMs.p50, 2),
    num(r.steadyLatencyMs.p99, 2),
    Object.entries(r.cpu).map(([name, share]) => `${name} ${Math.round(share * 100)}%`).join(' '),
  ]);
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((row) => row[i]!.length)));
  const line = (cells: readonly string[]): string => cells.map((c, i) => (i < 2 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!))).join('  ');
  const o = report.options;
  const notes = report.runs.flatMap((r) => r.notes.map((note) => `  ${r.target}: ${note}`));
  return [
    `${headline(o)}, ${o.durationMs / 1000} s (steady = after ${o.warmupMs / 1000} s); ` +
      `${report.machine.cpus} cores, load average ${report.machine.loadAverage.join(' ')}`,
    line(header),
    line(header.map((_, i) => '-'.repeat(widths[i]!))),
    ...rows.map(line),
    ...(notes.length > 0 ? ['notes:', ...notes] : []),
  ].join('\n');
}

/** `<mode>[-label]-<timestamp>`: sortable, and two runs in one second cannot collide on a label. */
export function resultBaseName(report: PerftestReport): string {
  const stamp = report.startedAt.replace(/[:.]/g, '-');
  return [report.options.mode, report.options.label, stamp].filter((part) => part !== undefined).join('-');
}

export async function writeReportFiles(report: PerftestReport): Promise<{ json: string; svg: string }> {
  const dir = await prepareOutputFolder(report.options.resultsDir, '--results-dir');
  const base = join(dir, resultBaseName(report));
  const json = `${base}.json`;
  const svg = `${base}.svg`;
  await writeFile(json, `${JSON.stringify(report, null, 2)}\n`);
  const title = `perftest ${report.options.mode} ${report.startedAt} (load ${report.machine.loadAverage.join(' ')})`;
  await writeFile(svg, renderChartSvg(title, report.runs.map((r) => ({ name: r.target, samples: r.samples }))));
  return { json, svg };
}
