// The broker's /readyz: ready while its journal and dead-letter store can be written; the same
// checks and its data disks are exported to Prometheus.
import { afterEach, describe, expect, it } from 'vitest';
import { startTestBroker, type TestBroker } from '../../test/support/test-broker.js';

let broker: TestBroker | undefined;
afterEach(async () => {
  await broker?.dispose();
  broker = undefined;
});

describe('broker readiness', () => {
  it('when the journal is open and writable, then /readyz answers 200 listing the journal and dead-letter checks', async () => {
    broker = await startTestBroker();
    const response = await fetch(`http://127.0.0.1:${broker.addresses.metricsPort}/readyz`);
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({
      status: 'ready',
      checks: [
        { name: 'journal', ok: true },
        { name: 'dead-letters', ok: true },
      ],
    });
  });

  it('when Prometheus scrapes, then readiness and the journal disk are in /metrics', async () => {
    broker = await startTestBroker();
    const text = await (await fetch(`http://127.0.0.1:${broker.addresses.metricsPort}/metrics`)).text();
    expect(text).toContain('em_readiness_check_ok{check="journal",process="broker"} 1');
    expect(text).toMatch(/em_filesystem_avail_bytes\{path="[^"]+journal",process="broker"\} \d+/);
  });

  it('when the journal is closed underneath, then /readyz answers 503 naming the journal', async () => {
    broker = await startTestBroker();
    await broker.journal.close();
    const response = await fetch(`http://127.0.0.1:${broker.addresses.metricsPort}/readyz`);
    expect(response.status).toBe(503);
    const body = (await response.json()) as { checks: { name: string; ok: boolean }[] };
    expect(body.checks.find((check) => check.name === 'journal')?.ok).toBe(false);
  });
});
