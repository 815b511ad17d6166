import { readFileSync } from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import { makeTempDir, type TempDir } from '../../../test/support/temp-dir.js';
import { parsePerftestOptions, USAGE } from '../options.js';
import { buildReport, formatTable, resultBaseName, writeReportFiles } from '../report.js';
import type { RunResult } from '../run-result.js';

const run: RunResult = {
  target: 'energymonitor broker',
  unit: 'msgs',
  storedMeaning: 'messages journaled',
  sent: 2000,
  acked: 2000,
  behind: 3,
  stored: 2000,
  storedPerSecond: undefined,
  elapsedMs: 2000,
  latencyMs: { count: 2000, p50: 1.234, p99: 9.87, max: 20 },
  steadyLatencyMs: { count: 1000, p50: 1.1, p99: 4.56, max: 5 },
  warmupMs: 2000,
  cpu: { broker: 0.5 },
  samples: [{ second: 0, sent: 1000, acked: 1000, stored: 1000, p50Ms: 1, p99Ms: 9, maxMs: 20 }],
  notes: ['auth disabled'],
};

let dir: TempDir | undefined;
afterEach(() => dir?.remove());

describe('perftest report', () => {
  it('when formatted, then the table has one row per run with rate, latency and CPU, and the notes', () => {
    const report = buildReport(parsePerftestOptions(['--mode', 'broker-only', '-x', '2']), new Date('2026-11-23T10:00:00Z'), [run]);
    const table = formatTable(report);
    expect(table).toMatch(/broker-only: 2 agents on 2 connections, rate 1000\/s, 11 readings\/msg, QoS1, 10 s \(steady = after 2 s\); \d+ cores, load average/);
    const row = table.split('\n').find((line) => line.startsWith('energymonitor broker'))!;
    for (const cell of ['2,000', '1,000', '1.23', '9.87', '4.56', 'broker 50%']) expect(row).toContain(cell);
    expect(table).toContain('energymonitor broker: auth disabled');
  });

  it('when influx-raw is formatted, then the header speaks of households, points/s and write requests, not agents, connections and QoS', () => {
    const report = buildReport(parsePerftestOptions(['--mode', 'influx-raw', '-x', '3', '-r', '100', '-z', '3']), new Date('2026-11-23T10:00:00Z'), [run]);
    const header = formatTable(report).split('\n')[0];
    expect(header).toMatch(/^perftest influx-raw: 3 households, rate 100 points\/s, 11 points per container, 11-line write requests, 4 in flight, 3 s \(steady = after 2 s\);/);
    expect(header).not.toMatch(/agents|connections|QoS/);
    expect(USAGE).toMatch(/-r, --rate N +messages\/s in total \(influx-raw: points\/s\)/);
  });

  it('when written, then JSON (with load average) and SVG land in the results folder under the mode and label', async () => {
    dir = makeTempDir('perftest-report');
    const options = parsePerftestOptions(['--mode', 'broker-only', '--results-dir', dir.path, '--label', 'smoke']);
    const report = buildReport(options, new Date('2026-11-23T10:00:00.5Z'), [run]);
    expect(resultBaseName(report)).toBe('broker-only-smoke-2026-11-23T10-00-00-500Z');
    const files = await writeReportFiles(report);
    const json = JSON.parse(readFileSync(files.json, 'utf8')) as { machine: { loadAverage: number[] }; runs: { acked: number }[] };
    expect(json.machine.loadAverage).toHaveLength(3);
    expect(json.runs[0]!.acked).toBe(2000);
    expect(readFileSync(files.svg, 'utf8')).toContain('energymonitor broker acked/s');
  });
});
