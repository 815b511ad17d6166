// Prometheus by hand (the start command calls startPrometheus itself):
//   tsx infra/prometheus-cli.ts start --target broker=9101 --target write=9102 [--port 9090] [--data-dir .data]
//                                     [--alertmanager-url http://127.0.0.1:9093]   (see infra/alertmanager-cli.ts)
//   tsx infra/prometheus-cli.ts status [--data-dir .data]   URL and alerts; exit 3 when it is not running
//   tsx infra/prometheus-cli.ts stop   [--data-dir .data]
// Its folder is <data-dir>/prometheus. Messages for humans go to stderr; `start` prints JSON on stdout.
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { preferredOrFreePort } from './free-port.js';
import { parseCommandLine } from '../lib/cli/command-line.js';
import { listAlerts } from './prometheus-api.js';
import { findRunningPrometheus, startPrometheus, stopPrometheus, type ScrapeTarget } from './prometheus.js';

const USAGE = 'usage: tsx infra/prometheus-cli.ts <start|status|stop> [--target JOB=PORT]... [--port N] [--data-dir DIR] [--alertmanager-url URL]';
const repoRoot = fileURLToPath(new URL('..', import.meta.url));

function parseTarget(text: string): ScrapeTarget {
  const match = /^([a-z][a-z0-9_-]*)=(\d{1,5})$/.exec(text);
  if (!match?.[1] || !match[2]) throw new Error(`--target ${text}: expected JOB=PORT, e.g. broker=9101\n${USAGE}`);
  return { job: match[1], port: Number(match[2]) };
}

async function main(): Promise<number> {
  const cli = parseCommandLine(
    USAGE,
    { target: { type: 'string', multiple: true }, port: { type: 'string' }, 'data-dir': { type: 'string' }, 'alertmanager-url': { type: 'string' } },
    { positionals: true },
  );
  const { values, positionals } = cli;
  const dataDir = join(resolve(values['data-dir'] ?? join(repoRoot, '.data')), 'prometheus');
  const [verb] = positionals;
  if (verb === 'start') {
    const targets = (values.target ?? []).map(parseTarget);
    const port = values.port === undefined ? (await preferredOrFreePort(9090)).port : cli.number('port', { min: 1, max: 65_535, integer: true });
    const running = await startPrometheus({ dataDir, port, targets, alertmanagerUrl: values['alertmanager-url'] });
    console.log(JSON.stringify({ url: running.url, port: running.port, pid: running.pid, dataDir }));
    console.error(`prometheus: ${running.url}/alerts (${targets.length} targets)`);
    return 0;
  }
  if (verb === 'stop') {
    await stopPrometheus(dataDir);
    return 0;
  }
  if (verb === 'status') {
    const running = await findRunningPrometheus(dataDir);
    if (!running) {
      console.error(`prometheus: not running in ${dataDir}`);
      return 3;
    }
    console.log(`prometheus: ${running.url} (pid ${running.pid})`);
    for (const alert of await listAlerts(running.url)) {
      console.log(`${alert.state.padEnd(8)} ${alert.labels.severity ?? ''} ${alert.labels.alertname ?? ''}: ${alert.annotations.summary ?? ''}`);
    }
    return 0;
  }
  console.error(USAGE);
  return 2;
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    console.error(error instanceof Error ? error.message : String(error));
    process.exit(1);
  },
);
