// /metrics, /healthz and /readyz over a real socket (no databases needed).
import { afterEach, describe, expect, it } from 'vitest';
import { createProcessRegistry, startMetricsServer, type MetricsServer } from '../metrics-server.js';
import { createReadiness } from '../readiness.js';

const servers: MetricsServer[] = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((server) => server.close()));
});

async function get(server: MetricsServer, path: string): Promise<{ status: number; body: string }> {
  const response = await fetch(`http://127.0.0.1:${server.port}${path}`);
  return { status: response.status, body: await response.text() };
}

describe('metrics server', () => {
  it('when no readiness checks are given, then /readyz says ready and /healthz and /metrics work as before', async () => {
    const server = await startMetricsServer({ registry: createProcessRegistry({ process: 't' }), port: 0 });
    servers.push(server);
    expect(await get(server, '/readyz')).toEqual({ status: 200, body: '{"status":"ready","checks":[]}' });
    expect(await get(server, '/healthz')).toEqual({ status: 200, body: '{"status":"ok"}' });
    expect((await get(server, '/metrics')).body).toContain('process_cpu_user_seconds_total');
  });

  it('when a dependency check fails, then /readyz answers 503 naming it while /healthz stays 200', async () => {
    const readiness = createReadiness([
      { name: 'journal', run: () => undefined },
      { name: 'influxdb', run: () => Promise.reject(new Error('http://127.0.0.1:1/ping unreachable')) },
    ]);
    const server = await startMetricsServer({ registry: createProcessRegistry(), port: 0, readiness });
    servers.push(server);
    const ready = await get(server, '/readyz');
    expect(ready.status).toBe(503);
    expect(JSON.parse(ready.body)).toEqual({
      status: 'not ready',
      checks: [
        { name: 'journal', ok: true },
        { name: 'influxdb', ok: false, reason: 'http://127.0.0.1:1/ping unreachable' },
      ],
    });
    expect((await get(server, '/healthz')).status).toBe(200);
  });
});
