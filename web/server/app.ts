// The web server: the built app (web/dist) and, on the same origin, the APIs it talks to —
// /api/auth/* → auth service, /api/read/* → read service, /api/alerts/* → alerts service (no CORS), /api/session/* (cookie side of
// the token endpoints), /api/operator/* (admins: charts and alerts from Prometheus). Live streams
// (text/event-stream) pass through unbuffered.
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import fastifyStatic from '@fastify/static';
import Fastify, { type FastifyInstance, type FastifyReply, type FastifyRequest } from 'fastify';
import type { AccessTokenVerifier } from '../../lib/auth/principal.js';
import { createTokenVerifier } from '../../lib/auth/token-verifier.js';
import type { Logger } from '../../lib/log.js';
import { registerApiProxies } from './api-proxy.js';
import type { WebConfig } from './config.js';
import { registerOperatorRoutes } from './operator-routes.js';
import { continueOnlyWhenBodyFits, sendBodyTooLarge } from './oversized-bodies.js';
import { createPrometheusClient, type PrometheusClient } from './prometheus-client.js';
import { registerSessionRoutes } from './session-routes.js';
import { noWebMetrics, type WebMetrics } from './web-metrics.js';

export interface WebServerDeps {
  readonly log?: Logger;
  readonly metrics?: WebMetrics;
  /** Checks the operator endpoints' bearer tokens; the auth service's JWKS by default. */
  readonly verifier?: AccessTokenVerifier;
  readonly prometheus?: PrometheusClient;
}

const securityHeaders: Readonly<Record<string, string>> = {
  'x-content-type-options': 'nosniff',
  'referrer-policy': 'no-referrer',
  'x-frame-options': 'DENY',
  // Everything comes from this origin; uPlot and React need no eval. Inline styles are uPlot's.
  'content-security-policy': "default-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; connect-src 'self'; frame-ancestors 'none'",
  // The app uses no device or sensor API: none for it, nor for anything injected into it.
  'permissions-policy':
    'accelerometer=(), camera=(), display-capture=(), geolocation=(), gyroscope=(), hid=(), magnetometer=(), microphone=(), midi=(), payment=(), serial=(), usb=()',
};

/** Served over https (EM_WEB_SECURE_COOKIE): browsers use only https for this host, for a year. */
const httpsOnlyHeaders: Readonly<Record<string, string>> = { 'strict-transport-security': 'max-age=31536000' };

export async function buildWebServer(config: Readonly<WebConfig>, deps: WebServerDeps = {}): Promise<FastifyInstance> {
  const app = Fastify({ loggerInstance: deps.log, trustProxy: false, bodyLimit: 64 * 1024 }) as unknown as FastifyInstance;
  const metrics = deps.metrics ?? noWebMetrics;
  continueOnlyWhenBodyFits(app);

  // Route patterns (`/api/read/*`, `/*`), never raw URLs: the label set stays small.
  app.addHook('onResponse', (request, reply, done) => {
    metrics.request(request.routeOptions.url ?? 'unmatched', request.method, reply.statusCode, reply.elapsedTime / 1000);
    done();
  });

  // Strict-Transport-Security only when served over https: over http browsers ignore it anyway,
  // and a tester's plain-http host must not be told to refuse http for a year.
  const headers = config.secureCookie ? { ...securityHeaders, ...httpsOnlyHeaders } : securityHeaders;
  app.addHook('onSend', async (_request, reply) => {
    for (const [name, value] of Object.entries(headers)) if (!reply.hasHeader(name)) void reply.header(name, value);
  });

  app.setErrorHandler((err: Error & { statusCode?: number; code?: string }, request, reply) => {
    const status = err.statusCode ?? 500;
    // Each route's limit: 64 KiB for our own, EM_WEB_PROXY_BODY_LIMIT_BYTES for the proxies.
    if (status === 413) return sendBodyTooLarge(request, reply);
    if (status < 500) return reply.status(status).send({ error: 'invalid-request', message: err.message });
    // fetch() to a backend that is down or silent: 'fetch failed' (TypeError) or a timeout.
    const unreachable = err.name === 'TimeoutError' || (err.name === 'TypeError' && err.message === 'fetch failed') || err.code === 'ECONNREFUSED';
    // Only the session routes fetch() a backend themselves (the auth service).
    if (unreachable) metrics.upstreamError('auth');
    request.log.warn({ err }, 'web server request failed');
    return reply
      .status(unreachable ? 503 : 500)
      .header('retry-after', unreachable ? '5' : undefined)
      .send({ error: unreachable ? 'upstream-unavailable' : 'internal', message: unreachable ? 'a backend service cannot be reached; retry shortly' : 'unexpected error' });
  });

  registerSessionRoutes(app, { authUrl: config.authUrl, secureCookie: config.secureCookie });
  registerOperatorRoutes(app, {
    verifier: deps.verifier ?? createTokenVerifier(config.auth),
    prometheus: deps.prometheus ?? (config.prometheus === undefined ? undefined : createPrometheusClient(config.prometheus)),
    onPrometheusError: () => metrics.upstreamError('prometheus'),
  });

  await registerApiProxies(app, config, metrics);

  const root = resolve(config.distDir);
  const built = existsSync(resolve(root, 'index.html'));
  if (built) {
    // Built assets carry a content hash in their name: cache them for good. index.html names the
    // current ones, so browsers must revalidate it or they would ask for assets of an old build.
    await app.register(fastifyStatic, {
      root,
      prefix: '/',
      index: 'index.html',
      cacheControl: false,
      setHeaders: (reply, path) => {
        void reply.header('cache-control', path.includes('/assets/') ? 'public, max-age=31536000, immutable' : 'no-cache');
      },
    });
  } else {
    app.log.warn({ root }, 'web/dist has no index.html: run `npm run web:build`');
  }

  // Client-side routes (/history, /devices, …) load the app; unknown /api paths stay JSON 404s.
  app.setNotFoundHandler((request: FastifyRequest, reply: FastifyReply) => {
    if (request.method === 'GET' && !request.url.startsWith('/api/') && built && (request.headers.accept ?? '').includes('text/html')) {
      return reply.header('cache-control', 'no-cache').sendFile('index.html');
    }
    return reply.status(404).send({ error: 'not-found', message: `no route ${request.method} ${request.url.split('?')[0]}` });
  });

  return app;
}
