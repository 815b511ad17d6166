// alertmanager.yml as infra/alertmanager.ts writes it: routing, receivers from the environment,
// and `amtool check-config` (same Debian package as the server) accepting what we generate.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { alertmanagerSettingsFromEnv, renderAlertmanagerConfig } from '../alertmanager-config.js';
import { AMTOOL_PATHS, ensureAlertmanagerInstalled } from '../alertmanager.js';
import { anyExists } from '../apt.js';
import { runCommand } from '../run-command.js';

type Receiver = { name: string; webhook_configs?: { url: string; send_resolved: boolean }[] };
type Route = { receiver: string; group_by?: string[]; group_wait?: string; group_interval?: string; repeat_interval?: string; matchers?: string[]; routes?: Route[] };
type Config = { route: Route; receivers: Receiver[] };

const parse = (text: string): Config => JSON.parse(text.slice(text.indexOf('\n') + 1)) as Config;
const dir = mkdtempSync(join(tmpdir(), 'em-alertmanager-config-'));
let amtool: string | undefined;

beforeAll(async () => {
  // apt-get when missing, like Prometheus; only a machine where that is impossible (not root) skips.
  await ensureAlertmanagerInstalled().catch((error: unknown) => console.warn(`amtool unavailable: ${String(error)}`));
  amtool = AMTOOL_PATHS.find((path) => anyExists([path]));
}, 600_000);

afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('alertmanager config', () => {
  it('when a webhook is configured, then every group goes to it, resolved notifications included', () => {
    const config = parse(renderAlertmanagerConfig({ webhookUrl: 'https://chat.example/hook?token=x' }));
    expect(config.route).toMatchObject({ receiver: 'operators', group_by: ['alertname', 'job'], group_wait: '30s', group_interval: '300s', repeat_interval: '14400s' });
    expect(config.receivers).toEqual([{ name: 'operators', webhook_configs: [{ url: 'https://chat.example/hook?token=x', send_resolved: true, max_alerts: 0 }] }]);
  });

  it('when an alert is critical, then it repeats more often than a warning', () => {
    const config = parse(renderAlertmanagerConfig({ webhookUrl: 'http://127.0.0.1:1/hook' }));
    expect(config.route.routes).toEqual([expect.objectContaining({ matchers: ['severity="critical"'], repeat_interval: '3600s' })]);
  });

  it('when no webhook is configured, then the receiver has no integration (log only)', () => {
    expect(parse(renderAlertmanagerConfig({})).receivers).toEqual([{ name: 'operators' }]);
  });

  it('when timings are shortened for a test, then they are written in ms', () => {
    const config = parse(renderAlertmanagerConfig({ timings: { groupWaitMs: 500, groupIntervalMs: 1_000 } }));
    expect(config.route).toMatchObject({ group_wait: '500ms', group_interval: '1s' });
  });

  it('when the environment sets a webhook or switches Alertmanager off, then the settings say so', () => {
    expect(alertmanagerSettingsFromEnv({})).toEqual({ enabled: true });
    expect(alertmanagerSettingsFromEnv({ EM_ALERTMANAGER: ' OFF ' })).toEqual({ enabled: false });
    expect(alertmanagerSettingsFromEnv({ EM_ALERTMANAGER_WEBHOOK_URL: ' http://relay.local:8080/alerts ' })).toEqual({ enabled: true, webhookUrl: 'http://relay.local:8080/alerts' });
    expect(alertmanagerSettingsFromEnv({ EM_ALERTMANAGER_WEBHOOK_URL: '' })).toEqual({ enabled: true });
  });

  it('when the webhook URL is not an http(s) URL, then the settings are refused with the variable named', () => {
    expect(() => alertmanagerSettingsFromEnv({ EM_ALERTMANAGER_WEBHOOK_URL: 'ftp://relay/alerts' })).toThrow(/EM_ALERTMANAGER_WEBHOOK_URL.*http/);
    expect(() => alertmanagerSettingsFromEnv({ EM_ALERTMANAGER_WEBHOOK_URL: 'not a url' })).toThrow(/EM_ALERTMANAGER_WEBHOOK_URL/);
  });

  it.for([
    ['webhook', { webhookUrl: 'http://127.0.0.1:9999/hook', timings: { groupWaitMs: 500 } }],
    ['log-only', {}],
  ] as const)('when amtool checks the generated config (%s), then it is valid', async ([name, input], { skip }) => {
    if (!amtool) return skip('amtool is not installed and could not be');
    const file = join(dir, `${name}.yml`);
    writeFileSync(file, renderAlertmanagerConfig(input));
    const result = await runCommand(amtool, ['check-config', file]);
    expect(result.code, result.stderr + result.stdout).toBe(0);
    expect(result.stdout).toContain('SUCCESS');
  });
});
