// PerfTest-style load tool (issue 8): npm run perftest -- --mode broker-only|pipeline|influx-raw|compare-mosquitto|write-only|connection-storm|live-fanout …
// Prints a live line per second, then a table; writes JSON and an SVG chart to the results folder.
import { loadavg } from 'node:os';
import { OptionsError, parsePerftestOptions, USAGE, type PerftestOptions } from './options.js';
import { MODE_RUNNERS } from './modes.js';
import { asksForHelp } from '../../lib/cli/command-line.js';
import { buildReport, formatTable, writeReportFiles } from './report.js';
import { runConnectionStorm } from './connection-storm.js';
import { buildStormReport, formatStormTable, writeStormReportFiles } from './storm-report.js';
import { OutputLocationError, prepareOutputFolder } from '../lib/output-location.js';

let options: PerftestOptions;
try {
  if (asksForHelp(process.argv.slice(2))) {
    console.log(USAGE);
    process.exit(0);
  }
  options = parsePerftestOptions(process.argv.slice(2));
} catch (error) {
  if (!(error instanceof OptionsError)) throw error;
  console.error(`perftest: ${error.message}\n\n${USAGE}`);
  process.exit(2);
}

// Before the run, not after it: a folder that cannot be written would lose the results.
try {
  await prepareOutputFolder(options.resultsDir, '--results-dir');
} catch (error) {
  if (!(error instanceof OutputLocationError)) throw error;
  console.error(`perftest: ${error.message}`);
  process.exit(2);
}

const startedAt = new Date();
const loadAverageBefore = loadavg();
console.log(`perftest ${options.mode} starting; load average before: ${loadAverageBefore.map((v) => v.toFixed(2)).join(' ')}`);
// Ctrl-C ends the load phase early; the modes then stop the broker, write service, InfluxDB and
// Mosquitto they started (a private influxd is detached and would otherwise outlive us).
const interrupt = new AbortController();
process.on('SIGINT', () => {
  if (interrupt.signal.aborted) process.exit(130);
  console.error('perftest: interrupted; ending the phase and stopping what it started (Ctrl-C again to quit at once)');
  interrupt.abort();
});
const ctx = { print: (line: string) => console.log(line), signal: interrupt.signal };
let files: { json: string; svg: string };
if (options.mode === 'connection-storm') {
  const report = buildStormReport(options, startedAt, loadAverageBefore, await runConnectionStorm(options, ctx));
  console.log(`\n${formatStormTable(report)}`);
  files = await writeStormReportFiles(report);
} else {
  const report = buildReport(options, startedAt, await MODE_RUNNERS[options.mode](options, ctx));
  console.log(`\n${formatTable(report)}`);
  files = await writeReportFiles(report);
}
console.log(`\nresults: ${files.json}\n         ${files.svg}`);
// An interrupted run still reports what it measured, and says it was interrupted (as a second Ctrl-C does).
if (interrupt.signal.aborted) process.exitCode = 130;
