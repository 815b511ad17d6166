import { Registry } from 'prom-client';
import { describe, expect, it } from 'vitest';
import { WRITE_DEAD_LETTER_REASONS } from '../dead-letter-reasons.js';
import { WRITE_ERROR_KINDS } from '../influx-writer.js';
import { createWriteMetrics } from '../metrics.js';

describe('write metrics', () => {
  it('when nothing has happened yet, then the labelled counters already show every known label at 0', async () => {
    const registry = new Registry();
    createWriteMetrics(registry, () => undefined);
    const text = await registry.metrics();
    for (const kind of WRITE_ERROR_KINDS) expect(text).toContain(`em_write_influx_errors_total{kind="${kind}"} 0\n`);
    for (const reason of WRITE_DEAD_LETTER_REASONS) expect(text).toContain(`em_write_dead_letters_total{reason="${reason}"} 0\n`);
  });
});
