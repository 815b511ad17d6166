// Smoke test of each perftest mode: 2 s, 2 connections, a low rate. Checks that the load is
// acknowledged and a JSON report is written, never how fast anything was.
import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { createPostgresDatabase } from '../../../infra/postgres.js';
import { afterAll, describe, expect, inject, it } from 'vitest';
import { makeTempDir } from '../../../test/support/temp-dir.js';
import { MODE_RUNNERS, type ThroughputMode } from '../modes.js';
import { MODES, parsePerftestOptions } from '../options.js';
import { buildReport, writeReportFiles, type PerftestReport } from '../report.js';

const results = makeTempDir('perftest-smoke');
afterAll(() => results.remove());

async function smoke(mode: ThroughputMode, extra: readonly string[] = []): Promise<PerftestReport> {
  const options = parsePerftestOptions(['--mode', mode, '-x', '2', '-r', '100', '-z', '2', '--batch-lines', '200', '--requests-in-flight', '1', '--influx-url', inject('influxUrl'), '--results-dir', results.path, ...extra]);
  const lines: string[] = [];
  const runs = await MODE_RUNNERS[mode](options, { print: (line) => lines.push(line), signal: new AbortController().signal });
  expect(lines.length).toBeGreaterThan(0);
  const report = buildReport(options, new Date(), runs);
  const files = await writeReportFiles(report);
  const written = JSON.parse(readFileSync(files.json, 'utf8')) as PerftestReport;
  expect(written.options.mode).toBe(mode);
  expect(readFileSync(files.svg, 'utf8')).toContain('</svg>');
  return written;
}

describe('perftest modes (smoke)', () => {
  it.each(MODES.filter((m): m is 'broker-only' | 'influx-raw' => m === 'broker-only' || m === 'influx-raw'))('when %s runs briefly, then its load is acknowledged and the JSON report is written', async (mode) => {
    const report = await smoke(mode);
    expect(report.runs).toHaveLength(1);
    expect(report.runs[0]!.acked).toBeGreaterThan(0);
    expect(report.runs[0]!.samples.length).toBeGreaterThan(0);
  });

  it('when live-fanout runs, then viewers of the watched household receive its containers over SSE', async () => {
    const postgresUrl = await createPostgresDatabase({ url: inject('postgresUrl') }, `perftest_live_${randomUUID().replaceAll('-', '').slice(0, 12)}`);
    const report = await smoke('live-fanout', ['--viewers', '3', '--watched', '1', '--postgres-url', postgresUrl]);
    const run = report.runs[0]!;
    expect(run.acked).toBeGreaterThan(0);
    // Household 1 of 2 is watched by all 3 viewers: each of its containers reaches each of them.
    expect(run.stored).toBeGreaterThanOrEqual(run.acked); // about 1.5 × acked: half the containers, 3 viewers each
    expect(run.notes.some((note) => note.startsWith('publish→SSE'))).toBe(true);
    expect(run.notes.some((note) => note.startsWith('3 viewers on 1 of 2'))).toBe(true);
  });

  it('when the pipeline runs, then its load is acknowledged and every acknowledged reading is stored before the report', async () => {
    const report = await smoke('pipeline');
    const run = report.runs[0]!;
    expect(run.acked).toBeGreaterThan(0);
    expect(run.stored).toBe(run.acked * report.options.readings);
  });

  it('when write-only runs, then the journal filled by the broker is drained into InfluxDB completely', async () => {
    const report = await smoke('write-only');
    const [fill, drain] = report.runs;
    expect(fill!.acked).toBeGreaterThan(0);
    expect(drain!.acked).toBe(fill!.acked * report.options.readings);
  });

  it('when compare-mosquitto runs, then both brokers acknowledge the same load in one report', async () => {
    const report = await smoke('compare-mosquitto');
    expect(report.runs.map((r) => r.target)).toEqual(['energymonitor broker', 'mosquitto']);
    for (const run of report.runs) expect(run.acked).toBeGreaterThan(0);
  });
});
