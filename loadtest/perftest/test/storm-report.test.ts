import { readFileSync } from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import { makeTempDir, type TempDir } from '../../../test/support/temp-dir.js';
import { parsePerftestOptions } from '../options.js';
import { buildStormReport, formatStormTable, writeStormReportFiles, type StormReport } from '../storm-report.js';
import type { StormResult } from '../storm-result.js';

const MB = 1024 * 1024;
const ours: StormResult = {
  target: 'energymonitor broker',
  pid: 1,
  agents: 19_000,
  clientProcesses: 3,
  sourceAddresses: 10,
  keepaliveS: 60,
  openFilesLimit: { soft: 20_000, hard: 20_000 },
  held: 19_000,
  failed: 0,
  lost: 0,
  firstError: undefined,
  connectSeconds: 10,
  connectsPerSecond: 1900,
  connackMs: { count: 19_000, p50: 80.5, p99: 200.25, max: 400 },
  rssBeforeBytes: 100 * MB,
  rssAfterBytes: 100 * MB + 19_000 * 9.5 * 1024,
  rssPerConnectionKb: 9.5,
  heapUsedBeforeBytes: 20 * MB,
  heapUsedAfterBytes: 150 * MB,
  heapTotalAfterBytes: 190 * MB,
  heapPerConnectionKb: 7,
  afterGc: { rssBytes: 100 * MB + 19_000 * 8 * 1024, rssPerConnectionKb: 8, heapUsedBytes: 20 * MB + 19_000 * 6 * 1024, heapPerConnectionKb: 6 },
  connectCpuShare: 0.5,
  cpuMsPerConnect: 0.5,
  idleCpuShare: 0.027,
  settleMs: 30_000,
  samples: [{ second: 0, phase: 'connect', connects: 1900, held: 1900, rssBytes: 120 * MB, cpuShare: Number.NaN }],
  notes: ['auth disabled'],
};
const mosquitto: StormResult = { ...ours, target: 'mosquitto', rssPerConnectionKb: 0.7, heapUsedBeforeBytes: undefined, heapUsedAfterBytes: undefined, heapTotalAfterBytes: undefined, heapPerConnectionKb: undefined, afterGc: undefined, notes: [] };

let dir: TempDir | undefined;
afterEach(() => dir?.remove());

describe('connection storm report', () => {
  it('when formatted, then each broker has a row with RSS per connection, heap, CPU and the notes', () => {
    const report = buildStormReport(parsePerftestOptions(['--mode', 'connection-storm']), new Date(), [1, 2, 3], [ours, mosquitto]);
    const table = formatStormTable(report);
    expect(table).toMatch(/19000 idle agents, connect rate as fast as it goes, keep-alive 60 s/);
    expect(table).toMatch(/load average before 1 2 3/);
    expect(table).toMatch(/energymonitor broker\s+19,000\s+0\s+0\s+1,900\s+80\.50\s+200\.25\s+100\.0\s+276\.3\s+9\.5\s+150\.0\/190\.0\s+7\.0\s+8\.0\s+6\.0\s+50%\s+0\.50\s+2\.7%/);
    expect(table).toMatch(/mosquitto .* 0\.7\s+-\s+-\s+-\s+-/);
    expect(table).toMatch(/energymonitor broker: auth disabled/);
  });

  it('when RSS after GC is below RSS before or within noise of it (a small storm), then n/a and a note why, not a negative KB', () => {
    const small = (afterGcRssBytes: number): StormResult => ({
      ...ours,
      held: 200,
      rssBeforeBytes: 123.4 * MB,
      afterGc: { rssBytes: afterGcRssBytes, rssPerConnectionKb: (afterGcRssBytes - 123.4 * MB) / 200 / 1024, heapUsedBytes: 30 * MB, heapPerConnectionKb: 44.9 },
    });
    const rowOf = (run: StormResult): string[] => {
      const table = formatStormTable(buildStormReport(parsePerftestOptions(['--mode', 'connection-storm']), new Date(), [0, 0, 0], [run]));
      const row = table.split('\n').find((line) => line.startsWith('energymonitor broker'))!;
      return [row, table];
    };
    const [shrunk, shrunkTable] = rowOf(small(115.3 * MB));
    expect(shrunk).not.toContain('-41');
    expect(shrunk).toMatch(/\s+n\/a\s+44\.9\s+/);
    expect(shrunkTable).toContain('after GC: RSS/conn n/a: RSS after GC (115.3 MB) is below RSS before connecting (123.4 MB)');
    const [noise, noiseTable] = rowOf(small(125.4 * MB));
    expect(noise).toMatch(/\s+n\/a\s+44\.9\s+/);
    expect(noiseTable).toContain('RSS after GC grew by 2.0 MB only, less than the 4.0 MB');
    const [real] = rowOf(small(143.4 * MB));
    expect(real).toMatch(/\s+102\.4\s+44\.9\s+/);
  });

  it('when written, then the JSON holds the runs and the SVG draws held connections, RSS and CPU', async () => {
    dir = makeTempDir('storm-report');
    const report = buildStormReport(parsePerftestOptions(['--mode', 'connection-storm', '--results-dir', dir.path, '--label', 't1']), new Date(), [0, 0, 0], [ours]);
    const files = await writeStormReportFiles(report);
    expect(files.json).toMatch(/connection-storm-t1-.*\.json$/);
    const written = JSON.parse(readFileSync(files.json, 'utf8')) as StormReport;
    expect(written.runs[0]!.rssPerConnectionKb).toBe(9.5);
    const svg = readFileSync(files.svg, 'utf8');
    for (const title of ['Connections held', 'Broker RSS', 'Broker CPU']) expect(svg).toContain(title);
  });
});
