// /api/alerts/* on the web server against a stand-in alerts service on a real socket: answers and
// the bearer token pass through; a service that is down or not configured is a 503 with a reason.
import Fastify, { type FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildWebServer } from './app.js';
import { loadWebConfig } from './config.js';
import { listenLocal } from '../../test/support/listen-local.js';

let alerts: FastifyInstance;
let alertsUrl: string;
const servers: FastifyInstance[] = [];

/** A web server in front of `alertsUrl` (undefined = EM_WEB_ALERTS_URL not set); closed after all tests. */
async function webServer(alertsUrlOrNone: string | undefined): Promise<string> {
  const env = { EM_WEB_PORT: '0', EM_WEB_AUTH_URL: 'http://127.0.0.1:1', EM_WEB_READ_URL: 'http://127.0.0.1:1', EM_WEB_DIST_DIR: '/nonexistent' };
  const web = await buildWebServer(loadWebConfig(alertsUrlOrNone === undefined ? env : { ...env, EM_WEB_ALERTS_URL: alertsUrlOrNone }));
  servers.push(web);
  return listenLocal(web);
}

beforeAll(async () => {
  alerts = Fastify();
  alerts.get('/v1/households/h1/alerts', (request) => Promise.resolve({ alerts: [], authorization: request.headers.authorization, query: request.query }));
  alerts.post('/v1/households/h1/alert-rules', (request, reply) =>
    reply.status(400).send({ error: 'invalid-request', message: 'body/thresholdW must be positive', got: request.body }),
  );
  alerts.delete('/v1/households/h1/alert-rules/r1', (_request, reply) => reply.status(204).send());
  alertsUrl = await listenLocal(alerts);
});

afterAll(async () => {
  for (const server of servers) await server.close();
  await alerts?.close();
});

describe('alerts proxy', () => {
  it('when the alerts service answers, then its answer, the bearer token and the query pass through', async () => {
    const base = await webServer(alertsUrl);
    const response = await fetch(`${base}/api/alerts/v1/households/h1/alerts?state=firing`, { headers: { authorization: 'Bearer abc' } });
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ alerts: [], authorization: 'Bearer abc', query: { state: 'firing' } });
  });

  it('when the alerts service refuses a body, then its 400 and message reach the page unchanged', async () => {
    const base = await webServer(alertsUrl);
    const response = await fetch(`${base}/api/alerts/v1/households/h1/alert-rules`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"thresholdW":-1}' });
    expect(response.status).toBe(400);
    expect(await response.json()).toEqual({ error: 'invalid-request', message: 'body/thresholdW must be positive', got: { thresholdW: -1 } });
    const deleted = await fetch(`${base}/api/alerts/v1/households/h1/alert-rules/r1`, { method: 'DELETE' });
    expect(deleted.status).toBe(204);
  });

  it('when the alerts service cannot be reached, then 503 with Retry-After and a reason', async () => {
    const base = await webServer('http://127.0.0.1:1');
    const response = await fetch(`${base}/api/alerts/v1/households/h1/alerts`);
    expect(response.status).toBe(503);
    expect(response.headers.get('retry-after')).toBe('5');
    expect(await response.json()).toEqual({ error: 'upstream-unavailable', message: 'the alerts service cannot be reached right now; retry shortly' });
  });

  it('when EM_WEB_ALERTS_URL is not set, then every alerts route answers 503 "alerts not configured"', async () => {
    const base = await webServer(undefined);
    for (const [method, path] of [
      ['GET', '/api/alerts/v1/households/h1/alerts'],
      ['POST', '/api/alerts/v1/households/h1/alert-rules'],
      ['GET', '/api/alerts'],
    ] as const) {
      const response = await fetch(`${base}${path}`, { method, ...(method === 'POST' ? { headers: { 'content-type': 'application/json' }, body: '{}' } : {}) });
      expect(response.status).toBe(503);
      expect(await response.json()).toEqual({ error: 'alerts-not-configured', message: 'alerts not configured: set EM_WEB_ALERTS_URL' });
    }
  });
});
