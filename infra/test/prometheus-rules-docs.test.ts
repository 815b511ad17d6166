// Every alert is documented for operators (docs/monitoring.md: a "### <Alert>" section saying what
// it means and what to do), its runbook annotation points there, and every alert has a promtool test.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { RULES_SOURCE_DIR } from '../prometheus.js';

const doc = readFileSync(new URL('../../docs/monitoring.md', import.meta.url), 'utf8');
const read = (dir: string, suffix: string): string =>
  readdirSync(dir).filter((name) => name.endsWith(suffix)).map((name) => readFileSync(join(dir, name), 'utf8')).join('\n');
const rules = read(RULES_SOURCE_DIR, '.yml');
const ruleTests = read(join(RULES_SOURCE_DIR, '..', 'tests'), '.test.yml');
const alerts = [...rules.matchAll(/^\s*- alert: (\w+)\s*$/gm)].map((match) => match[1] ?? '');

describe('alert rules documentation', () => {
  it('finds the alerts the issue asks for', () => {
    expect(alerts).toEqual(expect.arrayContaining(['JournalLagGrowing', 'InfluxWriteErrors', 'BrokerConnectionsDropping', 'ReadingsDeadLettered', 'LoginFailureSpike', 'ProcessDown', 'DiskNearlyFull']));
  });

  it.each(alerts)('%s has a section in docs/monitoring.md, a runbook link to it, and a promtool test', (alert) => {
    expect(doc).toContain(`\n### ${alert}\n`);
    const block = rules.slice(rules.indexOf(`- alert: ${alert}\n`)).split('- alert: ')[1] ?? '';
    expect(block).toContain(`runbook: docs/monitoring.md#${alert.toLowerCase()}\n`);
    expect(ruleTests).toContain(`alertname: ${alert}\n`);
  });
});
