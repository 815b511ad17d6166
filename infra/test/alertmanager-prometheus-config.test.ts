// Prometheus pointed at an Alertmanager: the `alerting` block of the generated prometheus.yml,
// which promtool must accept; without an Alertmanager the file has no such block.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { anyExists } from '../apt.js';
import { renderPrometheusConfig, renderTargets, type PrometheusConfigInput } from '../prometheus-config.js';
import { ensurePrometheusInstalled, PROMTOOL_PATHS } from '../prometheus.js';
import { runCommand } from '../run-command.js';

const dir = mkdtempSync(join(tmpdir(), 'em-prom-alerting-'));
const base: PrometheusConfigInput = { ownPort: 9090, targetsFile: join(dir, 'targets.json'), ruleFilesGlob: join(dir, 'rules', '*.yml'), scrapeIntervalMs: 1_000, evaluationIntervalMs: 1_000 };
const parse = (text: string): Record<string, unknown> => JSON.parse(text.slice(text.indexOf('\n') + 1)) as Record<string, unknown>;
let promtool: string | undefined;

beforeAll(async () => {
  await ensurePrometheusInstalled().catch((error: unknown) => console.warn(`promtool unavailable: ${String(error)}`));
  promtool = PROMTOOL_PATHS.find((path) => anyExists([path]));
  writeFileSync(base.targetsFile, renderTargets([{ job: 'broker', port: 9101 }]));
}, 600_000);

afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('prometheus.yml with an Alertmanager', () => {
  it('when no Alertmanager is given, then there is no alerting block', () => {
    expect(parse(renderPrometheusConfig(base))).not.toHaveProperty('alerting');
  });

  it('when an Alertmanager URL is given, then Prometheus sends to it over API v2', () => {
    expect(parse(renderPrometheusConfig({ ...base, alertmanagerUrl: 'http://127.0.0.1:9093' })).alerting).toEqual({
      alertmanagers: [{ api_version: 'v2', scheme: 'http', static_configs: [{ targets: ['127.0.0.1:9093'] }] }],
    });
    const prefixed = parse(renderPrometheusConfig({ ...base, alertmanagerUrl: 'https://am.local:8443/am/' })).alerting;
    expect(prefixed).toEqual({ alertmanagers: [{ api_version: 'v2', scheme: 'https', path_prefix: '/am', static_configs: [{ targets: ['am.local:8443'] }] }] });
  });

  it('when the Alertmanager URL is malformed, then rendering refuses it', () => {
    expect(() => renderPrometheusConfig({ ...base, alertmanagerUrl: 'not a url' })).toThrow(/Alertmanager URL/);
    expect(() => renderPrometheusConfig({ ...base, alertmanagerUrl: 'ftp://127.0.0.1:9093' })).toThrow(/Alertmanager URL/);
  });

  it('when promtool checks a prometheus.yml with an Alertmanager, then it is valid', async ({ skip }) => {
    if (!promtool) return skip('promtool is not installed and could not be');
    const config = join(dir, 'prometheus.yml');
    writeFileSync(config, renderPrometheusConfig({ ...base, alertmanagerUrl: 'http://127.0.0.1:9093' }));
    const result = await runCommand(promtool, ['check', 'config', config]);
    expect(result.code, result.stderr + result.stdout).toBe(0);
  });
});
