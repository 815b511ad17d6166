// Alertmanager by hand (the start command calls startAlertmanager itself):
//   tsx infra/alertmanager-cli.ts start [--webhook-url URL] [--port 9093] [--data-dir .data]
//   tsx infra/alertmanager-cli.ts status [--data-dir .data]   URL and alerts; exit 3 when it is not running
//   tsx infra/alertmanager-cli.ts stop   [--data-dir .data]
// Its folder is <data-dir>/alertmanager. --webhook-url defaults to EM_ALERTMANAGER_WEBHOOK_URL; with
// neither, alerts are only shown (UI, status). Point Prometheus at it with the URL `start` prints.
// Messages for humans go to stderr; `start` prints JSON on stdout.
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { listAlertmanagerAlerts } from './alertmanager-api.js';
import { alertmanagerSettingsFromEnv } from './alertmanager-config.js';
import { findRunningAlertmanager, startAlertmanager, stopAlertmanager } from './alertmanager.js';
import { preferredOrFreePort } from './free-port.js';
import { parseCommandLine } from '../lib/cli/command-line.js';

const USAGE = 'usage: tsx infra/alertmanager-cli.ts <start|status|stop> [--webhook-url URL] [--port N] [--data-dir DIR]';
const repoRoot = fileURLToPath(new URL('..', import.meta.url));

async function main(): Promise<number> {
  const cli = parseCommandLine(USAGE, { 'webhook-url': { type: 'string' }, port: { type: 'string' }, 'data-dir': { type: 'string' } }, { positionals: true });
  const { values, positionals } = cli;
  const dataDir = join(resolve(values['data-dir'] ?? join(repoRoot, '.data')), 'alertmanager');
  const [verb] = positionals;
  if (verb === 'start') {
    const env = values['webhook-url'] === undefined ? process.env : { ...process.env, EM_ALERTMANAGER_WEBHOOK_URL: values['webhook-url'] };
    const { webhookUrl } = alertmanagerSettingsFromEnv(env);
    const port = values.port === undefined ? (await preferredOrFreePort(9093)).port : cli.number('port', { min: 1, max: 65_535, integer: true });
    const running = await startAlertmanager({ dataDir, port, webhookUrl });
    console.log(JSON.stringify({ url: running.url, port: running.port, pid: running.pid, dataDir }));
    console.error(`alertmanager: ${running.url} (${webhookUrl ? `notifies ${new URL(webhookUrl).host}` : 'log only: no webhook configured'})`);
    return 0;
  }
  if (verb === 'stop') {
    await stopAlertmanager(dataDir);
    return 0;
  }
  if (verb === 'status') {
    const running = await findRunningAlertmanager(dataDir);
    if (!running) {
      console.error(`alertmanager: not running in ${dataDir}`);
      return 3;
    }
    console.log(`alertmanager: ${running.url} (pid ${running.pid})`);
    for (const alert of await listAlertmanagerAlerts(running.url)) {
      const { alertname = '', severity = '', job = '' } = alert.labels;
      console.log(`${alert.status.state.padEnd(11)} ${severity} ${alertname} ${job}: ${alert.annotations.summary ?? ''}`);
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
