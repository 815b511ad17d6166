// The write service's /readyz: ready while InfluxDB answers /ping and the journal is open;
// 503 naming InfluxDB when it is unreachable (the process itself stays alive: /healthz 200).
import { afterEach, describe, expect, inject, it } from 'vitest';
import { findFreePort } from '../../../infra/free-port.js';
import { createTestInfluxDatabase } from '../../../test/support/influx-database.js';
import { makeTempDir, type TempDir } from '../../../test/support/temp-dir.js';
import { startTestWriteService, type TestWriteService } from '../../../test/support/test-write-service.js';

let service: TestWriteService | undefined;
let dir: TempDir | undefined;
const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  await service?.stop();
  dir?.remove();
  service = undefined;
  for (const cleanup of cleanups.splice(0)) await cleanup();
});

async function start(influxUrl: string): Promise<TestWriteService> {
  dir = makeTempDir('write-readyz');
  const db = await createTestInfluxDatabase('readyz');
  cleanups.push(() => db.drop());
  service = await startTestWriteService({
    journalPath: dir.join('journal'),
    deadLetterPath: dir.join('dead-letters'),
    database: db.database,
    influxUrl,
  });
  return service;
}

type ReadyBody = { status: string; checks: { name: string; ok: boolean; reason?: string }[] };

describe('write service readiness', () => {
  it('when InfluxDB answers and the journal is open, then /readyz answers 200', async () => {
    const { metricsPort } = await start(inject('influxUrl'));
    const response = await fetch(`http://127.0.0.1:${metricsPort}/readyz`);
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({
      status: 'ready',
      checks: [
        { name: 'influxdb', ok: true },
        { name: 'journal', ok: true },
      ],
    });
  });

  it('when InfluxDB is unreachable, then /readyz answers 503 naming it, /healthz stays 200, and Prometheus sees the check at 0', async () => {
    const deadUrl = `http://127.0.0.1:${await findFreePort()}`;
    const { metricsPort } = await start(deadUrl);
    const response = await fetch(`http://127.0.0.1:${metricsPort}/readyz`);
    expect(response.status).toBe(503);
    const body = (await response.json()) as ReadyBody;
    expect(body.status).toBe('not ready');
    expect(body.checks).toEqual([
      { name: 'influxdb', ok: false, reason: expect.stringContaining(`${deadUrl}/ping unreachable`) as unknown as string },
      { name: 'journal', ok: true },
    ]);
    expect((await fetch(`http://127.0.0.1:${metricsPort}/healthz`)).status).toBe(200);
    const metrics = await (await fetch(`http://127.0.0.1:${metricsPort}/metrics`)).text();
    expect(metrics).toContain('em_readiness_check_ok{check="influxdb",process="write"} 0');
  });
});
