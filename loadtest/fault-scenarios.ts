// Long fault-injection runs (issue 6): every scenario under sustained load, each ending with the
// loss checker, plus peak RSS of every process. Prints a table and writes a JSON report. Usage:
// USAGE below. Defaults follow the issue: InfluxDB down 60 s; for "an agent offline for 10
// minutes" pass --scenario agent-offline --outage-s 600. Ctrl-C or SIGTERM stops what the run
// started, removes its temp folder, writes the scenarios that completed and exits 130 / 143.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { availableParallelism, tmpdir } from 'node:os';
import { join } from 'node:path';
import { startFaultPlatform } from './fault/fault-platform.js';
import { Interrupted, watchInterrupts } from './fault/interrupts.js';
import { runScenario } from './fault/run-scenario.js';
import { SCENARIOS } from './fault/scenarios.js';
import { parseCommandLine } from '../lib/cli/command-line.js';
import { OutputLocationError, prepareOutputFile } from './lib/output-location.js';

const USAGE = `npm run bench:faults -- [options]
  Runs each fault scenario under sustained load on a private platform, then checks that nothing
  acknowledged was lost, duplicated or reordered; prints a table and writes a JSON report.

  --scenario NAME    run only this scenario (repeatable); known: ${SCENARIOS.map((s) => s.name).join(', ')}
  --agents N         simulated agents                                 default 50
  --interval-ms MS   each agent's publish interval                    default 1000
  --load-s S         load before and after the fault                  default 120
  --outage-s S       how long the fault lasts                         default 60
  --report FILE      JSON report                                      default loadtest/results/fault-report.json
  -h, --help         this text

  Ctrl-C (SIGINT) or SIGTERM stops the processes the run started and removes its temp folder,
  writes the report of the scenarios that completed, if any, and exits 130 (SIGINT) / 143 (SIGTERM).`;

const cli = parseCommandLine(USAGE, {
  scenario: { type: 'string', multiple: true, default: [] },
  agents: { type: 'string', default: '50' },
  'interval-ms': { type: 'string', default: '1000' },
  'load-s': { type: 'string', default: '120' },
  'outage-s': { type: 'string', default: '60' },
  // In the git-ignored results folder, beside perftest's reports: a run leaves the checkout clean.
  report: { type: 'string', default: 'loadtest/results/fault-report.json' },
});
const { values } = cli;
const settings = {
  agents: cli.number('agents', { min: 1, max: 20_000, integer: true }),
  publishIntervalMs: cli.number('interval-ms', { min: 1 }),
  loadMs: cli.number('load-s', { min: 1 }) * 1000,
  outageMs: cli.number('outage-s', { min: 1 }) * 1000,
};
const unknown = values.scenario.filter((name) => !SCENARIOS.some((s) => s.name === name));
if (unknown.length > 0) cli.fail(`unknown scenario(s) ${unknown.join(', ')}`);
const chosen = values.scenario.length === 0 ? SCENARIOS : SCENARIOS.filter((s) => values.scenario.includes(s.name));
// Before the scenarios, not after them: a report that cannot be written would lose their results.
const reportPath = await prepareOutputFile(values.report, '--report').catch((error: unknown) => {
  if (!(error instanceof OutputLocationError)) throw error;
  console.error(`bench:faults: ${error.message}`);
  process.exit(2);
});

// Registered before anything starts: a signal at any point below is a clean stop.
const interrupts = watchInterrupts((line) => console.log(line));
const results = [];
let interruptedDuring: string | undefined;
for (const scenario of chosen) {
  if (interrupts.received() !== undefined) break;
  const dir = mkdtempSync(join(tmpdir(), `em-fault-${scenario.name}-`));
  console.log(`\n== ${scenario.name}: ${scenario.description}\n  logs and data: ${dir}`);
  const startedAt = Date.now();
  const platform = startFaultPlatform(dir, { onStarted: (name, pid) => console.log(`  ${name} up (pid ${pid})`) });
  const run = await interrupts.race(runScenario(scenario, platform, settings)).catch((error: unknown) => {
    if (error instanceof Interrupted) return undefined;
    throw error;
  });
  // Interrupted or not, and even if it was still starting: what the platform started is stopped.
  const started = await platform.catch(() => undefined);
  await started?.shutdown();
  if (run === undefined) {
    interruptedDuring = scenario.name;
    rmSync(dir, { recursive: true, force: true });
    break;
  }
  const { outcome, text } = run;
  console.log(outcome.error === undefined ? text : `${text} (logs in ${dir})`);
  const peakRssMb = started?.peakRssMb() ?? {};
  console.log(`peak RSS (MB): ${Object.entries(peakRssMb).map(([name, mb]) => `${name} ${mb}`).join(', ')}`);
  results.push({ scenario: scenario.name, ...outcome, peakRssMb, seconds: Math.round((Date.now() - startedAt) / 1000) });
  if (outcome.passed) rmSync(dir, { recursive: true, force: true });
}

if (results.length > 0 || interrupts.received() === undefined) {
  console.log('\n| scenario | result | produced | lost | duplicated | unexpected | out of order | peak RSS MB (broker / write / fleet / influxd) | s |');
  console.log('|---|---|---|---|---|---|---|---|---|');
  for (const r of results) {
    const t = 'totals' in r ? r.totals : undefined;
    const rss = r.peakRssMb;
    console.log(
      `| ${r.scenario} | ${r.passed ? 'PASS' : 'FAIL'} | ${t?.producedReadings ?? '-'} | ${t?.lostReadings ?? '-'} | ${t?.duplicatedReadings ?? '-'} | ` +
        `${t?.unexpectedReadings ?? '-'} | ${t?.outOfOrderContainers ?? '-'} | ${rss['broker'] ?? '-'} / ${rss['write'] ?? '-'} / ${rss['fleet'] ?? '-'} / ${rss['influxd'] ?? '-'} | ${r.seconds} |`,
    );
  }
  writeFileSync(reportPath, JSON.stringify({ settings, machine: { cpus: availableParallelism(), node: process.version }, results }, null, 2));
  console.log(`\nreport: ${values.report}`);
}
const signal = interrupts.received();
if (signal !== undefined) {
  const completed = results.map((r) => `${r.scenario} (${r.passed ? 'PASS' : 'FAIL'})`).join(', ') || 'none';
  const during = interruptedDuring === undefined ? '' : ` during ${interruptedDuring} (its processes stopped, its temp folder removed)`;
  console.log(`bench:faults: interrupted by ${signal}${during}; completed: ${completed}`);
  process.exit(interrupts.exitCode());
}
process.exit(results.every((r) => r.passed) ? 0 : 1);
