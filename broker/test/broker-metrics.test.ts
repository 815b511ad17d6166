import { describe, expect, it } from 'vitest';
import { Registry } from 'prom-client';
import { createMemoryJournal } from '../../lib/journal/memory-journal.js';
import { CREDENTIAL_CUTOFF_REASONS } from '../auth-metrics.js';
import { createBrokerMetrics } from '../metrics.js';
import { PUBLISH_REFUSAL_REASONS } from '../topic-acl.js';

describe('broker metrics', () => {
  it('when nothing was refused yet, then every publish-refusal reason is already a series at 0 (rate() and dashboards see it)', async () => {
    const registry = new Registry();
    createBrokerMetrics(registry, createMemoryJournal());
    const text = await registry.getSingleMetricAsString('em_broker_publishes_refused_total');
    for (const reason of PUBLISH_REFUSAL_REASONS) expect(text).toContain(`em_broker_publishes_refused_total{reason="${reason}"} 0`);
  });

  it('when nobody was cut off yet, then every cut-off reason (membership-ended too) is a series at 0', async () => {
    const registry = new Registry();
    createBrokerMetrics(registry, createMemoryJournal());
    const text = await registry.getSingleMetricAsString('em_broker_credential_cutoffs_total');
    expect(CREDENTIAL_CUTOFF_REASONS).toContain('membership-ended');
    for (const reason of CREDENTIAL_CUTOFF_REASONS) expect(text).toContain(`em_broker_credential_cutoffs_total{reason="${reason}"} 0`);
  });
});
