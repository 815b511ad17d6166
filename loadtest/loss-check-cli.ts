// Loss checker for operators and load tests: compares production ledgers with InfluxDB once the
// pipeline has drained, and exits 0 only when nothing was lost, duplicated, unexpected or out of
// order. Usage: USAGE below. Every --metrics URL is scraped for buffered entries
// (em_agent_outbox_depth, em_journal_depth_entries); all must reach 0 before the comparison counts.
import { formatLossReport, runLossCheck } from './loss-check/loss-check.js';
import {
  CheckProblem,
  checkInflux,
  checkMetrics,
  describeError,
  EXIT_CANNOT_CHECK,
  EXIT_FAIL,
  EXIT_PASS,
  readLedgers,
  urlProblem,
} from './loss-check/preflight.js';
import { metricValue, scrape } from './lib/prometheus-text.js';
import { parseCommandLine } from '../lib/cli/command-line.js';

const USAGE = `npm run loss-check -- --ledger FILE [options]
  Waits until every buffer is drained, then compares what the agents produced (their ledgers) with
  what InfluxDB holds; exits 0 only if nothing was lost, duplicated, unexpected or out of order.

  --ledger FILE        a fleet's production ledger (EM_FLEET_LEDGER_PATH; repeatable, at least one)
  --influx-url URL     InfluxDB                                          default http://127.0.0.1:8086
  --db NAME            database                                          default energymonitor
  --metrics URL        a /metrics to wait on for em_agent_outbox_depth and em_journal_depth_entries
                       to reach 0 (repeatable), e.g. http://127.0.0.1:9101/metrics
  --timeout-s S        how long to wait for the buffers to drain         default 120
  --json               the report as JSON
  -h, --help           this text

  exit codes: 0 passed; 1 failed (lost, duplicated, unexpected, out of order, or not drained);
  2 bad option or configuration (unreadable ledger, not a URL, no such database);
  3 could not check (InfluxDB or a --metrics endpoint unreachable or failing)`;

const BUFFER_METRICS = ['em_agent_outbox_depth', 'em_journal_depth_entries'];

const cli = parseCommandLine(USAGE, {
  'influx-url': { type: 'string', default: 'http://127.0.0.1:8086' },
  db: { type: 'string', default: 'energymonitor' },
  ledger: { type: 'string', multiple: true, default: [] },
  metrics: { type: 'string', multiple: true, default: [] },
  'timeout-s': { type: 'string', default: '120' },
  json: { type: 'boolean', default: false },
});
const { values } = cli;
if (values.ledger.length === 0) cli.fail('loss-check: give at least one --ledger file (EM_FLEET_LEDGER_PATH of the fleet)');
const timeoutS = cli.number('timeout-s', { min: 0.001 });
for (const [name, url] of [['influx-url', values['influx-url']] as const, ...values.metrics.map((url) => ['metrics', url] as const)]) {
  const problem = urlProblem(name, url);
  if (problem !== undefined) cli.fail(`loss-check: ${problem}`);
}

async function check(): Promise<number> {
  readLedgers(values.ledger); // a missing or malformed ledger is a usage error, before InfluxDB is asked
  await checkInflux(values['influx-url'], values.db);
  await checkMetrics(values.metrics);
  const result = await runLossCheck({
    influxUrl: values['influx-url'],
    database: values.db,
    ledgerPaths: values.ledger,
    readLedgers,
    buffered: values.metrics.map((url) => async () => {
      const text = await scrape(url);
      return BUFFER_METRICS.reduce((sum, name) => sum + metricValue(text, name), 0);
    }),
    drainTimeoutMs: timeoutS * 1000,
  }).catch((error: unknown) => {
    if (error instanceof CheckProblem) throw error;
    throw new CheckProblem(`could not check: InfluxDB at ${values['influx-url']}: ${describeError(error)}`, EXIT_CANNOT_CHECK);
  });
  console.log(values.json ? JSON.stringify(result, null, 2) : formatLossReport(result));
  return result.passed ? EXIT_PASS : EXIT_FAIL;
}

try {
  process.exitCode = await check();
} catch (error) {
  if (!(error instanceof CheckProblem)) throw error;
  console.error(`loss-check: ${error.message}`);
  process.exitCode = error.exitCode;
}
