// Live fan-out and history benchmark of the read service (issue 4), on this machine (usage: USAGE
// below).
//
// Processes, as deployed: the broker (journal, no writer), the read service, and a viewer process
// holding the SSE streams; this process publishes and orchestrates. InfluxDB and PostgreSQL run in a
// private folder. `--watched` households have `viewers/watched` viewers each; all `--households`
// publish, so the read service also shows that it receives only what somebody watches.
//
// Prints: history latency p50/p95 (24 h at 1-minute resolution; a year of daily kWh), then
// publish→SSE p50/p99 over the steady phase, events/s delivered, read-service RSS before and after
// the viewers connected, and the CPU share of each process.
import { readFileSync } from 'node:fs';
import { silentLogger } from '../lib/log.js';
import { createInfluxClient } from '../services/read/influx/influx-client.js';
import { ensureRetention } from '../services/read/influx/retention-setup.js';
import { defaultRollups, type RetentionLayout } from '../services/read/influx/rollup-layout.js';
import { makeTempDir } from '../test/support/temp-dir.js';
import { writeHistory } from './live/history-fixture.js';
import { startLiveStack, type LiveStack } from './live/live-stack.js';
import { interleavedHouseholds } from './live/publish-order.js';
import { startTimestampedPublisher } from './live/timestamped-publisher.js';
import { startViewerProcess } from './live/viewer-process.js';
import { startCpuMeter } from './lib/process-cpu.js';
import { metricValue, scrape } from './lib/prometheus-text.js';
import { formatPauses, pausesSince } from './lib/process-pauses.js';
import { p99PerSecond, summarize } from './lib/percentiles.js';
import { pinProcesses } from './lib/pin-processes.js';
import { createTimedGet, type TimedAnswer } from './lib/timed-get.js';
import { readCpuTicks, stealShare } from './lib/machine-steal.js';
import { parseCommandLine } from '../lib/cli/command-line.js';

const USAGE = `npm run bench:live -- [options]
  History latency of the read service, then live fan-out: publish->SSE latency to many viewers,
  events/s delivered, read-service memory and CPU per process.

  --viewers N            SSE viewers                                   default 10000
  --watched N            households those viewers watch                default 5000
  --households N         households publishing                         default 10000
  --rate N               msgs/s published                              default 5000
  --readings N           readings per message                          default 11
  --connections N        MQTT connections of the publisher             default 50
  --duration-s S         steady phase                                  default 30
  --warmup-s S           warm-up before it                             default 5
  --history-requests N   history requests timed                        default 200
  --history-client K     http (timed to the last byte) or fetch        default http
  --skip-history         no history phase
  --skip-live            no live phase
  --pin SPEC             CPU affinity, e.g. "broker=1;read=0;viewers=1;publisher=0"
  -h, --help             this text`;

const cli = parseCommandLine(USAGE, {
  viewers: { type: 'string', default: '10000' },
  watched: { type: 'string', default: '5000' },
  households: { type: 'string', default: '10000' },
  rate: { type: 'string', default: '5000' },
  readings: { type: 'string', default: '11' },
  connections: { type: 'string', default: '50' },
  'duration-s': { type: 'string', default: '30' },
  'warmup-s': { type: 'string', default: '5' },
  'history-requests': { type: 'string', default: '200' },
  'history-client': { type: 'string', default: 'http' },
  'skip-history': { type: 'boolean', default: false },
  'skip-live': { type: 'boolean', default: false },
  // CPU affinity per process, e.g. "broker=1;read=0;viewers=1;publisher=0" (taskset -a -c).
  pin: { type: 'string' },
});
const args = cli.values;
const viewers = cli.number('viewers', { min: 1, max: 100_000, integer: true });
const watched = Math.min(cli.number('watched', { min: 1, max: 100_000, integer: true }), viewers);
const households = Math.max(cli.number('households', { min: 1, max: 1_000_000, integer: true }), watched);
const rate = cli.number('rate', { min: 1, max: 1_000_000, integer: true });
const readings = cli.number('readings', { min: 1, max: 1000, integer: true });
const connections = cli.number('connections', { min: 1, max: 20_000, integer: true });
const durationMs = cli.number('duration-s', { min: 1, max: 3600 }) * 1000;
const warmupMs = cli.number('warmup-s', { min: 0, max: 3600 }) * 1000;
const historyRequests = cli.number('history-requests', { min: 1, max: 100_000, integer: true });
const fmt = (n: number, digits = 0): string => n.toLocaleString('en-US', { maximumFractionDigits: digits, minimumFractionDigits: digits });
const rssMb = (pid: number | undefined): number => {
  try {
    const match = /^VmRSS:\s+(\d+) kB/m.exec(readStatus(pid));
    return match === null ? Number.NaN : Number(match[1]) / 1024;
  } catch {
    return Number.NaN;
  }
};
const readStatus = (pid: number | undefined): string => readFileSync(`/proc/${pid}/status`, 'utf8');

const dir = makeTempDir('live-bench');
const HISTORY_HOUSEHOLD = 'bench-history';
const householdId = (i: number): string => `lh${String(i).padStart(6, '0')}`;

// History requests are timed to the last byte over a kept-alive connection (lib/timed-get.ts);
// `--history-client fetch` times them with fetch() and response.text() as before, client work included.
if (args['history-client'] !== 'http' && args['history-client'] !== 'fetch') cli.fail(`--history-client is http or fetch, got "${args['history-client']}"`);
const timedGet = createTimedGet();
const fetchGet = async (url: string, headers: Record<string, string>): Promise<TimedAnswer> => {
  const started = performance.now();
  const response = await fetch(url, { headers });
  const text = await response.text();
  const ms = performance.now() - started;
  return { status: response.status, ms, body: Buffer.from(text) };
};
const getTimed = args['history-client'] === 'fetch' ? fetchGet : (url: string, headers: Record<string, string>): Promise<TimedAnswer> => timedGet.get(url, headers);
async function timeRequests(url: string, token: string, count: number): Promise<{ p50: number; p95: number; bytes: number }> {
  const samples: number[] = [];
  let bytes = 0;
  for (let i = 0; i < count; i++) {
    const { status, ms, body } = await getTimed(url, { authorization: `Bearer ${token}` });
    samples.push(ms);
    if (status !== 200) throw new Error(`${url} answered ${status}: ${body.subarray(0, 200).toString('utf8')}`);
    bytes = body.length;
  }
  const sorted = samples.sort((a, b) => a - b);
  return { p50: sorted[Math.floor(count * 0.5)] ?? Number.NaN, p95: sorted[Math.floor(count * 0.95)] ?? Number.NaN, bytes };
}

let stack: LiveStack | undefined;
try {
  const skipHistory = args['skip-history'] === true;
  let history = { lines: 0, writeMs: 0, rollupMs: 0 };
  stack = await startLiveStack({
    dir,
    watched,
    householdId,
    extraHousehold: { id: HISTORY_HOUSEHOLD, timeZone: 'Europe/Berlin' },
    async prepareInflux(influxUrl, readConfig) {
      const layout: RetentionLayout = { database: readConfig.influx.database, rawRetentionMs: readConfig.retention.rawMs, rollups: defaultRollups(readConfig.retention.rollup1mMs, readConfig.retention.rollup1hMs) };
      const rawPolicy = await ensureRetention(createInfluxClient({ url: influxUrl, database: layout.database, timeoutMs: 30_000 }), layout, silentLogger(), Date.now());
      if (!skipHistory) history = await writeHistory({ influxUrl, layout, rawPolicy, householdId: HISTORY_HOUSEHOLD, nowMs: Date.now() });
    },
  });
  console.log(`history: ${fmt(history.lines)} lines written in ${fmt(history.writeMs / 1000, 1)} s, rolled up in ${fmt(history.rollupMs / 1000, 1)} s`);
  const { broker, read, brokerUrl, readUrl } = stack;
  const brokerMetrics = stack.brokerMetricsUrl;
  const readMetrics = stack.readMetricsUrl;

  // History latency on a quiet machine, one request at a time.
  const historyToken = await stack.viewerToken(0);
  const now = Date.now();
  const dayUrl = `${readUrl}/v1/households/${HISTORY_HOUSEHOLD}/power?from=${new Date(now - 86_400_000).toISOString()}&to=${new Date(now).toISOString()}&resolution=60`;
  const yearUrl = `${readUrl}/v1/households/${HISTORY_HOUSEHOLD}/energy?period=day&from=${new Date(now - 365 * 86_400_000).toISOString()}&to=${new Date(now).toISOString()}`;
  const requests = historyRequests;
  if (!skipHistory) {
  await timeRequests(dayUrl, historyToken, 10);
  // The first year request after start reads InfluxDB in full (nothing cached yet).
  const cold = performance.now();
  await timeRequests(yearUrl.replace('period=day', 'period=month'), historyToken, 1);
  const coldMs = performance.now() - cold;
  const historyTicks = readCpuTicks();
  const day = await timeRequests(dayUrl, historyToken, requests);
  const year = await timeRequests(yearUrl, historyToken, requests);
  console.log(`energy 1 year, first request after start (cold cache): ${fmt(coldMs, 1)} ms`);
  console.log(`history 24 h @ 1 min (power, 3 devices): p50 ${fmt(day.p50, 1)} ms, p95 ${fmt(day.p95, 1)} ms (${fmt(day.bytes)} bytes; target p95 ≤ 30 ms)`);
  console.log(`energy 1 year of days (kWh, 3 devices):  p50 ${fmt(year.p50, 1)} ms, p95 ${fmt(year.p95, 1)} ms (${fmt(year.bytes)} bytes; target p95 ≤ 50 ms)`);
  console.log(`machine during the history requests: ${fmt(stealShare(historyTicks, readCpuTicks()) * 100, 1)} % of CPU time stolen by the hypervisor`);
  }

  if (args['skip-live'] !== true) {
  // Live: viewers first, then the publish load.
  const tokens = await Promise.all(Array.from({ length: watched }, (_, i) => stack!.viewerToken(i + 1)));
  const viewerList = Array.from({ length: viewers }, (_, v) => ({ householdId: householdId((v % watched) + 1), token: tokens[v % watched] as string }));
  const viewerProcess = startViewerProcess();
  const child = viewerProcess.child;
  const rssBefore = rssMb(read.child.pid);
  const opened = await viewerProcess.open(readUrl, viewerList, 100);
  const rssViewers = rssMb(read.child.pid);
  const subscribed = metricValue(await scrape(readMetrics), 'em_read_mqtt_subscriptions');
  console.log(`viewers: ${fmt(opened.ok)} streams open (${opened.failed} failed) in ${fmt(opened.ms / 1000, 1)} s; read service subscribed to ${fmt(subscribed)} households; RSS ${fmt(rssBefore)} → ${fmt(rssViewers)} MB (${fmt(((rssViewers - rssBefore) * 1024) / Math.max(1, opened.ok), 1)} KB per stream)`);

  if (args.pin !== undefined) pinProcesses(args.pin, { broker: broker.child.pid, read: read.child.pid, viewers: child.pid, publisher: process.pid });
  const publisher = await startTimestampedPublisher({ brokerUrl, connections, householdIds: interleavedHouseholds(households, watched).map(householdId), ratePerSecond: rate, readingsPerMessage: readings });
  await publisher.run(warmupMs);
  await viewerProcess.reset();
  const liveTicks = readCpuTicks();
  const cpu = startCpuMeter({ broker: broker.child.pid, read: read.child.pid, viewers: child.pid, publisher: process.pid });
  const [brokerBefore, readBefore] = await Promise.all([scrape(brokerMetrics), scrape(readMetrics)]);
  const dropsBefore = metricValue(readBefore, 'em_read_sse_events_dropped_total');
  const runStartedAtMs = performance.timeOrigin + performance.now();
  const run = await publisher.run(durationMs);
  await new Promise((resolve) => setTimeout(resolve, 1000)); // let the last events arrive
  const shares = cpu.stop();
  const liveTicksEnd = readCpuTicks();
  const report = await viewerProcess.report();
  const [brokerAfter, text] = await Promise.all([scrape(brokerMetrics), scrape(readMetrics)]);
  const latency = summarize(report.latenciesMs);
  const seconds = run.elapsedMs / 1000;
  const ack = summarize(run.ackLatenciesMs);
  console.log(`publish: ${fmt(run.sent / seconds)} msgs/s to ${fmt(households)} households (${fmt(run.acked)} of ${fmt(run.sent)} acknowledged; PUBACK p50 ${fmt(ack.p50, 1)} ms, p99 ${fmt(ack.p99, 1)} ms)`);
  console.log(`live: ${fmt(report.events / seconds)} events/s to viewers; publish→SSE p50 ${fmt(latency.p50, 1)} ms, p99 ${fmt(latency.p99, 1)} ms, max ${fmt(latency.max, 1)} ms (target p99 ≤ 25 ms)`);
  // Where in time the tail sits: one bad second is a pause somewhere, a high floor is load.
  // (Events published during the warm-up have negative times and fall outside the seconds.)
  const perSecond = p99PerSecond(report.latenciesMs, report.sentAtMs.map((t) => t - runStartedAtMs));
  console.log(`      p99 per second: ${perSecond.map((p) => fmt(p)).join(' ')}`);
  console.log(`      pauses during the run: ${formatPauses('broker', pausesSince(brokerBefore, brokerAfter))}; ${formatPauses('read', pausesSince(readBefore, text))}`);
  console.log(`      dropped for slow viewers ${fmt(metricValue(text, 'em_read_sse_events_dropped_total') - dropsBefore)}, resyncs ${fmt(report.resyncs)}; read service RSS ${fmt(rssMb(read.child.pid))} MB`);
  console.log(`CPU (share of one core): ${Object.entries(shares).map(([name, share]) => `${name} ${fmt(share * 100)} %`).join(', ')}; ${fmt(stealShare(liveTicks, liveTicksEnd) * 100, 1)} % of the machine's CPU time stolen by the hypervisor`);
  await publisher.close();
  viewerProcess.stop();
  }
} finally {
  timedGet.close();
  await stack?.stop();
  dir.remove();
}
