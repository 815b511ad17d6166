// Operators are told: a real Prometheus (infra/prometheus.ts) sends the alerts it fires to a real
// Alertmanager (infra/alertmanager.ts), which posts them to a webhook — a local HTTP receiver here.
// A scrape target on a port nobody listens on makes ProcessDown fire (every `for:` 1 s); a listener
// on that port makes it resolve. Intervals are shortened (scrape/evaluate 500 ms, group_wait 500 ms).
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { listAlertmanagerAlerts } from '../alertmanager-api.js';
import { findRunningAlertmanager, startAlertmanager, type RunningAlertmanager, type StartAlertmanagerOptions } from '../alertmanager.js';
import { findFreePort } from '../free-port.js';
import { startPrometheus } from '../prometheus.js';
import { createPrometheusTestFolder, type PrometheusTestFolder } from './prometheus-test-folder.js';

/** Alertmanager's webhook body (version 4), the fields we rely on. */
type WebhookAlert = { status: string; labels: Record<string, string>; annotations: Record<string, string>; startsAt: string; endsAt: string };
type Notification = { version: string; status: string; receiver: string; groupLabels: Record<string, string>; externalURL: string; alerts: WebhookAlert[] };

let folder: PrometheusTestFolder;
let alertmanager: RunningAlertmanager;
let receiver: Server;
let victim: Server | undefined;
let victimPort: number;
const notifications: Notification[] = [];
const poll = { timeout: 30_000, interval: 200 };

function startReceiver(): Promise<Server> {
  const server = createServer((request, response) => {
    let body = '';
    request.setEncoding('utf8').on('data', (chunk: string) => (body += chunk));
    request.on('end', () => {
      notifications.push(JSON.parse(body) as Notification);
      response.writeHead(200).end();
    });
  });
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve(server)));
}

const amOptions = (webhookUrl?: string): StartAlertmanagerOptions => ({
  dataDir: folder.sibling('alertmanager'),
  webhookUrl,
  timings: { groupWaitMs: 500, groupIntervalMs: 1_000, repeatIntervalMs: 3_600_000, criticalRepeatIntervalMs: 3_600_000 },
});
const victimNotification = (status: string): Notification | undefined =>
  notifications.find((n) => n.status === status && n.groupLabels.alertname === 'ProcessDown' && n.groupLabels.job === 'victim');

beforeAll(async () => {
  folder = await createPrometheusTestFolder();
  receiver = await startReceiver();
  victimPort = await findFreePort(); // nobody listens here yet: the target is down
  alertmanager = await startAlertmanager(amOptions(`http://127.0.0.1:${(receiver.address() as AddressInfo).port}/hook`));
  await startPrometheus({
    dataDir: folder.dataDir,
    targets: [{ job: 'victim', port: victimPort }],
    scrapeIntervalMs: 500,
    evaluationIntervalMs: 500,
    alertForMs: 1_000,
    alertmanagerUrl: alertmanager.url,
  });
}, 120_000);

afterAll(async () => {
  await folder?.remove();
  await new Promise((resolve) => victim?.close(resolve) ?? resolve(undefined));
  await new Promise((resolve) => receiver?.close(resolve) ?? resolve(undefined));
});

describe('infra/alertmanager', () => {
  it('when started again on the same folder, then the running Alertmanager is reused', async () => {
    const again = await startAlertmanager(amOptions(`http://127.0.0.1:${(receiver.address() as AddressInfo).port}/hook`));
    expect(again.pid).toBe(alertmanager.pid);
    expect(again.port).toBe(alertmanager.port);
    expect((await findRunningAlertmanager(folder.sibling('alertmanager')))?.pid).toBe(alertmanager.pid);
  });

  it('when a process is down, then ProcessDown reaches the webhook as firing, grouped by alertname and job', async () => {
    await expect.poll(() => victimNotification('firing'), poll).toBeTruthy();
    const firing = victimNotification('firing');
    expect(firing).toMatchObject({ version: '4', receiver: 'operators', externalURL: alertmanager.url });
    expect(firing?.alerts).toHaveLength(1);
    expect(firing?.alerts[0]).toMatchObject({ status: 'firing', labels: { alertname: 'ProcessDown', job: 'victim', severity: 'critical' } });
    expect(firing?.alerts[0]?.annotations.summary).toContain(`127.0.0.1:${victimPort} is down`);
    const held = await listAlertmanagerAlerts(alertmanager.url);
    expect(held.find((alert) => alert.labels.job === 'victim')?.status.state).toBe('active');
  });

  it('when the process answers again, then the webhook gets the alert as resolved', async () => {
    victim = createServer((_request, response) => response.writeHead(200, { 'content-type': 'text/plain; version=0.0.4' }).end('victim_up 1\n'));
    await new Promise<void>((resolve) => victim?.listen(victimPort, '127.0.0.1', resolve));
    await expect.poll(() => victimNotification('resolved'), poll).toBeTruthy();
    expect(victimNotification('resolved')?.alerts[0]).toMatchObject({ status: 'resolved', labels: { alertname: 'ProcessDown', job: 'victim' } });
  });

  it('when started again without a webhook (log only), then it reloads and still holds and shows alerts', async () => {
    const logOnly = await startAlertmanager(amOptions(undefined));
    expect(logOnly.pid).toBe(alertmanager.pid);
    const alert = { labels: { alertname: 'ManualTest', job: 'manual', severity: 'warning' }, annotations: { summary: 'posted by the test' } };
    const posted = await fetch(`${alertmanager.url}/api/v2/alerts`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify([alert]) });
    expect(posted.status).toBe(200);
    const shown = async () => (await listAlertmanagerAlerts(alertmanager.url)).find((held) => held.labels.alertname === 'ManualTest');
    await expect.poll(shown, poll).toMatchObject({ annotations: { summary: 'posted by the test' }, receivers: [{ name: 'operators' }] });
  });

  it('when stopped, then nothing runs in its folder any more', async () => {
    await alertmanager.stop();
    expect(await findRunningAlertmanager(folder.sibling('alertmanager'))).toBeUndefined();
  });
});
