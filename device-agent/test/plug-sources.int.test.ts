// Shelly and Tasmota sources against a fake plug: a local HTTP server serving recorded-looking
// bodies (the plugs are external devices, so a fake at the HTTP edge is the right double).
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { afterEach, describe, expect, it } from 'vitest';
import { silentLogger } from '../../lib/log.js';
import type { PlugErrorReport } from '../sources/http-plug-source.js';
import { createShellyGen2Source } from '../sources/shelly-gen2.js';
import { createTasmotaSource } from '../sources/tasmota.js';
import { SHELLY_PLUS_PLUG_S, TASMOTA_STATUS_8 } from './plug-fixtures.js';

type Handler = (req: IncomingMessage, res: ServerResponse) => void;

const NOW = Date.UTC(2024, 0, 15, 18, 30);

describe('HTTP plug sources', () => {
  const cleanups: (() => Promise<void>)[] = [];
  afterEach(async () => {
    for (const cleanup of cleanups.splice(0)) await cleanup();
  });

  /** A fake plug on a free port; returns its base URL and the request URLs it saw. */
  async function fakePlug(handler: Handler): Promise<{ baseUrl: string; requests: string[] }> {
    const requests: string[] = [];
    const server = createServer((req, res) => {
      requests.push(req.url ?? '');
      handler(req, res);
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    cleanups.push(
      () =>
        new Promise((resolve) => {
          server.closeAllConnections();
          server.close(() => resolve());
        }),
    );
    const address = server.address();
    const port = typeof address === 'object' && address !== null ? address.port : 0;
    return { baseUrl: `http://127.0.0.1:${port}`, requests };
  }

  const json = (body: string, status = 200): Handler => (_req, res) => {
    res.writeHead(status, { 'content-type': 'application/json' });
    res.end(body);
  };

  it('reads a Shelly Gen2 plug over RPC', async () => {
    const plug = await fakePlug(json(SHELLY_PLUS_PLUG_S));
    const source = createShellyGen2Source({ plugs: [{ deviceId: 'kitchen', baseUrl: plug.baseUrl, channel: 2 }], timeoutMs: 1000, log: silentLogger() });
    const readings = await source.read(NOW);
    expect(plug.requests).toEqual(['/rpc/Switch.GetStatus?id=2']);
    expect(readings.map((m) => [m.quantity, m.value])).toEqual([
      ['power_w', 112.4],
      ['energy_wh', 5321.884],
      ['voltage_v', 231.2],
      ['current_a', 0.513],
    ]);
  });

  it('reads a Tasmota plug with Status 8', async () => {
    const plug = await fakePlug(json(TASMOTA_STATUS_8));
    const source = createTasmotaSource({ plugs: [{ deviceId: 'washer', baseUrl: plug.baseUrl, channel: 0 }], timeoutMs: 1000, log: silentLogger() });
    const readings = await source.read(NOW);
    expect(plug.requests).toEqual(['/cm?cmnd=Status%208']);
    expect(readings.find((m) => m.quantity === 'energy_wh')?.value).toBe(12345);
  });

  it('when plugs fail in every way, then each yields nothing and a report, and the healthy plug is still read', async () => {
    const healthy = await fakePlug(json(SHELLY_PLUS_PLUG_S));
    const broken = await fakePlug(json('{"apower": 1', 200));
    const wrong = await fakePlug(json('{"code":-105,"message":"Argument id not found"}', 200));
    const failing = await fakePlug(json('{}', 500));
    const hanging = await fakePlug(() => undefined); // never answers
    const closed = await fakePlug(json('{}'));
    await cleanups.pop()?.(); // nothing listens on `closed` any more
    const reports: PlugErrorReport[] = [];
    const plugs = Object.entries({ healthy, broken, wrong, failing, hanging, closed }).map(([deviceId, p]) => ({
      deviceId,
      baseUrl: p.baseUrl,
      channel: 0,
    }));
    // The limit is per request, so it also bounds the healthy plug's first request: 1.5 s, not
    // less, so that a busy CI machine does not push a healthy answer past it.
    const source = createShellyGen2Source({ plugs, timeoutMs: 1500, log: silentLogger(), onError: (r) => reports.push(r) });
    const startedMs = Date.now();
    const readings = await source.read(NOW);
    expect(Date.now() - startedMs).toBeLessThan(8000); // the hanging plug does not hold the read
    expect(new Set(readings.map((m) => m.deviceId))).toEqual(new Set(['healthy']));
    expect(Object.fromEntries(reports.map((r) => [r.deviceId, r.reason]))).toEqual({
      broken: 'malformed-json',
      wrong: 'unexpected-shape',
      failing: 'http-status',
      hanging: 'timeout',
      closed: 'network',
    });
    expect(reports.every((r) => r.source === 'shelly')).toBe(true);
  });
  it('when a plug sends a huge body, then it is abandoned past 64 KiB as too-large and the other plug is still read', async () => {
    const healthy = await fakePlug(json(SHELLY_PLUS_PLUG_S));
    let sentBytes = 0;
    // Chunked, no Content-Length, never ending: only a cap on what is read protects the agent.
    const flooding = await fakePlug((_req, res) => {
      res.writeHead(200, { 'content-type': 'application/json' });
      const chunk = Buffer.alloc(64 * 1024, 0x20);
      const more = (): void => {
        if (res.destroyed || sentBytes > 64 * 1024 * 1024) return void res.end();
        sentBytes += chunk.length;
        if (res.write(chunk)) setImmediate(more);
        else res.once('drain', more);
      };
      res.write('{"apower":1,"aenergy":{"total":1},"pad":"');
      more();
    });
    const declared = await fakePlug((_req, res) => {
      res.writeHead(200, { 'content-type': 'application/json', 'content-length': String(300 * 1024 * 1024) });
      res.write('{');
    });
    const reports: PlugErrorReport[] = [];
    const plugs = Object.entries({ healthy, flooding, declared }).map(([deviceId, p]) => ({ deviceId, baseUrl: p.baseUrl, channel: 0 }));
    const source = createShellyGen2Source({ plugs, timeoutMs: 5000, log: silentLogger(), onError: (r) => reports.push(r) });
    const readings = await source.read(NOW);
    expect(new Set(readings.map((m) => m.deviceId))).toEqual(new Set(['healthy']));
    expect(Object.fromEntries(reports.map((r) => [r.deviceId, r.reason]))).toEqual({ flooding: 'too-large', declared: 'too-large' });
    expect(sentBytes).toBeLessThan(16 * 1024 * 1024);
  });
  it('when a plug redirects, then the redirect is not followed: readings come only from the plug itself', async () => {
    // A plug's address that now belongs to another device (a new DHCP lease, a router's login page)
    // must not have that device's answer recorded under the plug's name.
    const stranger = await fakePlug(json(SHELLY_PLUS_PLUG_S));
    const redirecting = await fakePlug((req, res) => {
      res.writeHead(302, { location: `${stranger.baseUrl}${req.url ?? '/'}` });
      res.end();
    });
    const reports: PlugErrorReport[] = [];
    const plugs = [{ deviceId: 'kitchen', baseUrl: redirecting.baseUrl, channel: 0 }];
    const source = createShellyGen2Source({ plugs, timeoutMs: 1000, log: silentLogger(), onError: (r) => reports.push(r) });
    expect(await source.read(NOW)).toEqual([]);
    expect(stranger.requests).toEqual([]);
    expect(reports.map((r) => [r.reason, r.detail])).toEqual([['http-status', expect.stringContaining('302')]]);
  });

  it('when a plug sends its body slower than the timeout, or an error status with a body that never ends, then only that plug is lost', async () => {
    const healthy = await fakePlug(json(SHELLY_PLUS_PLUG_S));
    const dripping = await fakePlug((_req, res) => {
      res.writeHead(200, { 'content-type': 'application/json' });
      const drip = setInterval(() => (res.destroyed ? clearInterval(drip) : res.write(' ')), 20);
      res.on('close', () => clearInterval(drip));
    });
    const endlessError = await fakePlug((_req, res) => {
      res.writeHead(503, { 'content-type': 'text/html' });
      const drip = setInterval(() => (res.destroyed ? clearInterval(drip) : res.write('<p>busy</p>')), 20);
      res.on('close', () => clearInterval(drip));
    });
    const html = await fakePlug((_req, res) => {
      res.writeHead(200, { 'content-type': 'text/html' });
      res.end('<!doctype html><title>Tasmota</title>');
    });
    const reports: PlugErrorReport[] = [];
    const plugs = Object.entries({ healthy, dripping, endlessError, html }).map(([deviceId, p]) => ({ deviceId, baseUrl: p.baseUrl, channel: 0 }));
    const source = createShellyGen2Source({ plugs, timeoutMs: 1500, log: silentLogger(), onError: (r) => reports.push(r) });
    const readings = await source.read(NOW);
    expect(new Set(readings.map((m) => m.deviceId))).toEqual(new Set(['healthy']));
    expect(Object.fromEntries(reports.map((r) => [r.deviceId, r.reason]))).toEqual({
      dripping: 'timeout',
      endlessError: 'http-status',
      html: 'malformed-json',
    });
  });
});
