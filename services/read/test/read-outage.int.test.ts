// InfluxDB going away behind the read service (a TCP proxy cut) and coming back: clear 503s with
// Retry-After meanwhile, answers again afterwards without a restart. Also the OpenAPI document.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestInfluxDatabase, type TestInfluxDatabase } from '../../../test/support/influx-database.js';
import { startTcpProxy, type TcpProxy } from '../../../test/support/tcp-proxy.js';
import { startReadFixture, type ReadFixture } from './support/read-fixture.js';

const H = 'h-outage';
let influx: TestInfluxDatabase;
let proxy: TcpProxy;
let f: ReadFixture;
let token: string;

beforeAll(async () => {
  influx = await createTestInfluxDatabase('read_outage');
  proxy = await startTcpProxy(Number(new URL(influx.url).port));
  // History cache off: this file is about what InfluxDB's absence does to a read.
  f = await startReadFixture({ influx, influxUrl: `http://127.0.0.1:${proxy.port}`, env: { EM_READ_CACHE_POWER_CHUNKS: '0', EM_READ_CACHE_COUNTER_CHUNKS: '0' } });
  await f.service.retentionReady();
  await f.db.addHousehold(H);
  const userId = await f.db.addUser('outage-user');
  await f.db.addMembership(H, userId);
  token = await f.issuer.userToken('outage-user');
  const t = Date.parse('2026-05-01T10:00:00Z');
  await influx.write([0, 1, 2].map((i) => `reading,household=${H},agent=a,device=d,quantity=power_w value=${100 + i} ${t + i * 60_000}`));
});

afterAll(async () => {
  await f?.close();
  await proxy?.close();
  await influx?.drop();
});

// 10 s is finer than any rollup, so the answer comes from raw data (rollups are not backfilled here).
const power = (): Promise<Response> =>
  fetch(`${f.baseUrl}/v1/households/${H}/power?from=2026-05-01T10:00:00Z&to=2026-05-01T11:00:00Z&resolution=10`, { headers: { authorization: `Bearer ${token}` } });

describe('read service while InfluxDB is unreachable', () => {
  it('when InfluxDB is cut off, then history answers 503 with a reason and Retry-After, and /readyz says which dependency', async () => {
    expect((await power()).status).toBe(200);
    await proxy.cut();
    const response = await power();
    expect(response.status).toBe(503);
    expect(response.headers.get('retry-after')).not.toBeNull();
    expect(await response.json()).toMatchObject({ error: 'influxdb-unavailable', message: expect.stringMatching(/InfluxDB is unavailable/) as string });
    const ready = await fetch(`${f.baseUrl}/readyz`);
    expect(ready.status).toBe(503);
    expect(await ready.json()).toMatchObject({ influxdb: false, postgres: true });
    // The metrics port says the same, for Prometheus.
    expect((await fetch(f.metricsUrl.replace(/\/metrics$/, '/readyz'))).status).toBe(503);
    expect(await (await fetch(f.metricsUrl)).text()).toMatch(/em_readiness_check_ok\{[^}]*check="influxdb"[^}]*\} 0/);
  });

  it('when InfluxDB is back, then the same request answers again without a restart', async () => {
    await proxy.restore();
    const response = await power();
    expect(response.status).toBe(200);
    const body = (await response.json()) as { series: { points: { mean: number }[] }[] };
    expect(body.series[0]?.points.map((p) => p.mean)).toEqual([100, 101, 102]);
    expect((await fetch(`${f.baseUrl}/readyz`)).status).toBe(200);
  });

  it('when the OpenAPI document is fetched, then it describes the household routes', async () => {
    const doc = (await (await fetch(`${f.baseUrl}/openapi.json`)).json()) as { openapi: string; paths: Record<string, unknown> };
    expect(doc.openapi).toBe('3.1.0');
    for (const path of ['/v1/households/{householdId}/power', '/v1/households/{householdId}/energy', '/v1/households/{householdId}/cost', '/v1/households/{householdId}/live', '/v1/households/{householdId}/completeness']) {
      expect(Object.keys(doc.paths)).toContain(path);
    }
  });
});
