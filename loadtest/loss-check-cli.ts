// Loss checker for operators and load tests: compares production ledgers with InfluxDB once the
// pipeline has drained, and exits 0 only when nothing was lost, duplicated, unexpected or out of
// order.
//   npx tsx loadtest/loss-check-cli.ts --influx-url http://127.0.0.1:8086 --db energymonitor \
//     --ledger .data/fleet/ledger.ndjson --metrics http://127.0.0.1:9101/metrics \
//     --metrics http://127.0.0.1:9105/metrics [--timeout-s 120] [--json]
// Every --metrics URL is scraped for buffered entries (em_agent_outbox_depth,
// em_journal_depth_entries); all must reach 0 before the comparison counts.
import { parseArgs } from 'node:util';
import { formatLossReport, runLossCheck } from './loss-check/loss-check.js';
import { metricValue, scrape } from './lib/prometheus-text.js';

const BUFFER_METRICS = ['em_agent_outbox_depth', 'em_journal_depth_entries'];

const { values } = parseArgs({
  options: {
    'influx-url': { type: 'string', default: 'http://127.0.0.1:8086' },
    db: { type: 'string', default: 'energymonitor' },
    ledger: { type: 'string', multiple: true, default: [] },
    metrics: { type: 'string', multiple: true, default: [] },
    'timeout-s': { type: 'string', default: '120' },
    json: { type: 'boolean', default: false },
  },
});
if (values.ledger.length === 0) {
  console.error('loss-check: give at least one --ledger file (EM_FLEET_LEDGER_PATH of the fleet)');
  process.exit(2);
}
const timeoutS = Number(values['timeout-s']);
if (!Number.isFinite(timeoutS) || timeoutS <= 0) {
  console.error(`loss-check: --timeout-s must be a positive number, got ${values['timeout-s']}`);
  process.exit(2);
}

const result = await runLossCheck({
  influxUrl: values['influx-url'],
  database: values.db,
  ledgerPaths: values.ledger,
  buffered: values.metrics.map((url) => async () => {
    const text = await scrape(url);
    return BUFFER_METRICS.reduce((sum, name) => sum + metricValue(text, name), 0);
  }),
  drainTimeoutMs: timeoutS * 1000,
});
console.log(values.json ? JSON.stringify(result, null, 2) : formatLossReport(result));
process.exit(result.passed ? 0 : 1);
