// The alert rules are code: promtool validates them and runs their unit tests
// (infra/prometheus/tests/*.test.yml: each alert fires on the series it is for, and not on healthy ones).
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { ensurePrometheusInstalled, PROMTOOL_PATHS, RULES_SOURCE_DIR } from '../prometheus.js';
import { overrideAlertFor, renderPrometheusConfig, renderTargets } from '../prometheus-config.js';
import { runCommand } from '../run-command.js';

const TESTS_DIR = join(RULES_SOURCE_DIR, '..', 'tests');
const ruleFiles = readdirSync(RULES_SOURCE_DIR).filter((name) => name.endsWith('.yml')).map((name) => join(RULES_SOURCE_DIR, name));
const testFiles = readdirSync(TESTS_DIR).filter((name) => name.endsWith('.test.yml')).map((name) => join(TESTS_DIR, name));

let promtool: string | undefined;
beforeAll(async () => {
  // apt-get when missing, like InfluxDB; only a machine where that is impossible (not root) skips.
  await ensurePrometheusInstalled().catch((error: unknown) => console.warn(`promtool unavailable: ${String(error)}`));
  promtool = PROMTOOL_PATHS.find((path) => {
    try {
      readFileSync(path);
      return true;
    } catch {
      return false;
    }
  });
}, 600_000);

describe('alert rules (promtool)', () => {
  it('when promtool checks every rule file, then all are valid', async ({ skip }) => {
    if (!promtool) return skip('promtool is not installed and could not be');
    const result = await runCommand(promtool, ['check', 'rules', ...ruleFiles]);
    expect(result.stderr + result.stdout).toContain('SUCCESS');
    expect(result.code, result.stderr + result.stdout).toBe(0);
  });

  it('when promtool runs the rule unit tests, then every alert fires and resolves as specified', async ({ skip }) => {
    if (!promtool) return skip('promtool is not installed and could not be');
    expect(testFiles.length).toBeGreaterThanOrEqual(3);
    const result = await runCommand(promtool, ['test', 'rules', ...testFiles], { cwd: TESTS_DIR });
    expect(result.code, result.stderr + result.stdout).toBe(0);
  });

  it('when every `for:` is overridden, then the rules stay valid and wait only that long', async ({ skip }) => {
    if (!promtool) return skip('promtool is not installed and could not be');
    const dir = mkdtempSync(join(tmpdir(), 'em-prom-rules-'));
    try {
      const copies = ruleFiles.map((file, index) => {
        const copy = join(dir, `${index}.yml`);
        writeFileSync(copy, overrideAlertFor(readFileSync(file, 'utf8'), 2_000));
        return copy;
      });
      const result = await runCommand(promtool, ['check', 'rules', ...copies]);
      expect(result.code, result.stderr + result.stdout).toBe(0);
      const texts = copies.map((copy) => readFileSync(copy, 'utf8')).join('\n');
      expect(texts).toMatch(/for: 2s/);
      expect(texts).not.toMatch(/for: (?!2s)/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('when the generated prometheus.yml is checked, then promtool accepts it with our rules', async ({ skip }) => {
    if (!promtool) return skip('promtool is not installed and could not be');
    const dir = mkdtempSync(join(tmpdir(), 'em-prom-config-'));
    try {
      const targetsFile = join(dir, 'targets.json');
      writeFileSync(targetsFile, renderTargets([{ job: 'broker', port: 9101 }, { job: 'write', port: 9102 }]));
      const config = join(dir, 'prometheus.yml');
      const ruleFilesGlob = join(RULES_SOURCE_DIR, '*.yml');
      writeFileSync(config, renderPrometheusConfig({ ownPort: 9090, targetsFile, ruleFilesGlob, scrapeIntervalMs: 1_000, evaluationIntervalMs: 500 }));
      const result = await runCommand(promtool, ['check', 'config', config]);
      expect(result.code, result.stderr + result.stdout).toBe(0);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
