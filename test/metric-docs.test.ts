// Every metric an operator is told about — in the docs, the alert rules and the operator page's
// queries — is one the code registers: a renamed metric must not leave an alert that can never
// fire, or a runbook that sends someone looking for a series that does not exist.
import { execFileSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Registry } from 'prom-client';
import { describe, expect, it } from 'vitest';
import { OPERATOR_QUERIES } from '../infra/prometheus-queries.js';
import { RULES_SOURCE_DIR } from '../infra/prometheus.js';
import { registerDeadLetterStoreMetrics } from '../lib/dead-letter/dead-letter-metrics.js';

const repo = new URL('..', import.meta.url).pathname;
const tracked = (pattern: string): string[] => execFileSync('git', ['ls-files', pattern], { cwd: repo, encoding: 'utf8' }).split('\n').filter((p) => p !== '');
const read = (path: string): string => readFileSync(join(repo, path), 'utf8');

/** Names registered with a literal `name: 'em_…'`, and the dead-letter store's per-service names. */
function registeredNames(): Set<string> {
  const sources = tracked('*.ts').filter((path) => !/(^|\/)test\/|\.test\.ts$/.test(path));
  const names = new Set(sources.flatMap((path) => [...read(path).matchAll(/name: '(em_[a-z0-9_]+)'/g)].map((m) => m[1] ?? '')));
  for (const service of ['broker', 'write'] as const) {
    const registry = new Registry();
    registerDeadLetterStoreMetrics(registry, service, () => ({ evictedTotal: 0, truncatedTotal: 0, bytesInUse: 0 }));
    for (const metric of registry.getMetricsAsArray()) names.add(metric.name);
  }
  return names;
}

/** `em_…` names in a text; `em_{broker,write}_x` expanded; prefixes (`em_filesystem_`) and `em_*_x` left out. */
function mentionedNames(text: string): string[] {
  const expand = (name: string): string[] => {
    const brace = /\{([a-z0-9_,]+)\}/.exec(name);
    return brace === null ? [name] : (brace[1] ?? '').split(',').flatMap((part) => expand(name.replace(brace[0], part)));
  };
  // A brace group followed by `_` is part of a name; one at its end is a label set.
  return [...text.matchAll(/\bem_(?:[a-z0-9_*]|\{[a-z0-9_,]+\}(?=_))+/g)]
    .flatMap((m) => expand(m[0]))
    .filter((name) => !name.includes('*') && !name.endsWith('_'))
    .map((name) => name.replace(/_(bucket|sum|count)$/, ''));
}

const registered = registeredNames();
const places: readonly [string, string][] = [
  ...tracked('*.md').map((path): [string, string] => [path, read(path)]),
  ...readdirSync(RULES_SOURCE_DIR).map((file): [string, string] => [`infra/prometheus/rules/${file}`, readFileSync(join(RULES_SOURCE_DIR, file), 'utf8')]),
  ['OPERATOR_QUERIES', OPERATOR_QUERIES.map((q) => q.expr).join('\n')],
];

describe('metric names', () => {
  it('finds the registered metrics', () => {
    expect(registered).toContain('em_broker_connections');
    expect(registered).toContain('em_write_dead_letters_evicted_total');
  });

  it('reads names as the docs write them: braces expanded, label sets, histogram series, prefixes and wildcards left out', () => {
    const text = '`em_{broker,write}_dead_letter_store_bytes`, `em_readiness_check_ok{check}`, rate(em_write_lag_seconds_bucket[5m]), `em_filesystem_`, `em_*_dead_letters_evicted_total`';
    expect(mentionedNames(text)).toEqual(['em_broker_dead_letter_store_bytes', 'em_write_dead_letter_store_bytes', 'em_readiness_check_ok', 'em_write_lag_seconds']);
    expect(registered.has('em_broker_no_such_metric_total')).toBe(false);
  });

  it.each(places)('%s names only registered metrics', (_place, text) => {
    expect(mentionedNames(text).filter((name) => !registered.has(name))).toEqual([]);
  });
});
