// PerfTest-style load tool (issue 8): npm run perftest -- --mode broker-only|pipeline|influx-raw|compare-mosquitto …
// Prints a live line per second, then a table; writes JSON and an SVG chart to the results folder.
import { loadavg } from 'node:os';
import { OptionsError, parsePerftestOptions, USAGE, type PerftestOptions } from './options.js';
import { MODE_RUNNERS } from './modes.js';
import { buildReport, formatTable, writeReportFiles } from './report.js';

let options: PerftestOptions;
try {
  if (process.argv.includes('--help') || process.argv.includes('-h')) {
    console.log(USAGE);
    process.exit(0);
  }
  options = parsePerftestOptions(process.argv.slice(2));
} catch (error) {
  if (!(error instanceof OptionsError)) throw error;
  console.error(`perftest: ${error.message}\n\n${USAGE}`);
  process.exit(2);
}

const startedAt = new Date();
console.log(`perftest ${options.mode} starting; load average before: ${loadavg().map((v) => v.toFixed(2)).join(' ')}`);
const runs = await MODE_RUNNERS[options.mode](options, (line) => console.log(line));
const report = buildReport(options, startedAt, runs);
console.log(`\n${formatTable(report)}`);
const files = await writeReportFiles(report);
console.log(`\nresults: ${files.json}\n         ${files.svg}`);
