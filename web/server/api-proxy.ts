// /api/auth/*, /api/read/*, /api/alerts/* → the services, through @fastify/http-proxy. A request
// body is read here whole, up to proxyBodyLimitBytes, before a byte of it goes upstream: a larger
// one gets our own 413. Streamed on instead, a body far over the service's limit raced the
// service, which answers 413 and closes while we still write: EPIPE, and the client got a 503
// "cannot be reached" at random. Answers still stream (the live SSE feed event by event).
import { Readable } from 'node:stream';
import fastifyHttpProxy from '@fastify/http-proxy';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { WebConfig } from './config.js';
import { upstreamRequestHeaders } from './proxy-headers.js';
import type { WebMetrics } from './web-metrics.js';

type ProxiedService = 'auth' | 'read' | 'alerts';

/** A backend that cannot be reached answers in our error format, with a reason and Retry-After. */
interface ProxyReply {
  readonly log: { warn(details: object, message: string): void };
  status(code: number): { header(name: string, value: string): { send(body: unknown): unknown } };
}

function unreachable(service: ProxiedService, metrics: WebMetrics) {
  return (reply: ProxyReply, { error }: { error: Error & { statusCode?: number } }): void => {
    metrics.upstreamError(service);
    reply.log.warn({ err: error, service }, 'proxied request failed');
    const status = error.statusCode === 504 ? 504 : 503;
    reply
      .status(status)
      .header('retry-after', '5')
      .send({ error: 'upstream-unavailable', message: `the ${service} service cannot be reached right now; retry shortly` });
  };
}

interface ProxyOptions {
  readonly service: ProxiedService;
  readonly upstream: string;
  readonly bodyLimitBytes: number;
  readonly metrics: WebMetrics;
  /** undici's timeouts toward the service; its defaults (300 s each) otherwise. */
  readonly undici?: { readonly bodyTimeout: number; readonly headersTimeout: number };
}

async function registerProxy(app: FastifyInstance, options: ProxyOptions): Promise<void> {
  await app.register(async (scope) => {
    // The route's limit, so the error handler's 413 names it (request.routeOptions.bodyLimit).
    scope.addHook('onRoute', (route) => {
      route.bodyLimit = options.bodyLimitBytes;
    });
    // Any content type, as raw bytes: Fastify counts them against the limit (Content-Length first,
    // then as a chunked body arrives). A stream again for reply-from, which would JSON-encode a
    // Buffer sent as application/json.
    scope.removeAllContentTypeParsers();
    scope.addContentTypeParser('*', { parseAs: 'buffer' }, (_request, body, done) => {
      done(null, Readable.from([body], { objectMode: false }));
    });
    await scope.register(fastifyHttpProxy, {
      upstream: options.upstream,
      prefix: `/api/${options.service}`,
      rewritePrefix: '',
      proxyPayloads: false,
      replyOptions: {
        rewriteRequestHeaders: (request, headers) => upstreamRequestHeaders(headers, request.ip),
        onError: unreachable(options.service, options.metrics),
      },
      ...(options.undici === undefined ? {} : { undici: options.undici }),
    });
  });
}

/**
 * The three proxies. The auth service throttles per client address; behind us every request would
 * come from 127.0.0.1, so each passes the browser's address on in X-Forwarded-For (honoured when
 * EM_AUTH_TRUST_PROXY names this server's address, web/README.md).
 */
export async function registerApiProxies(app: FastifyInstance, config: Readonly<WebConfig>, metrics: WebMetrics): Promise<void> {
  const bodyLimitBytes = config.proxyBodyLimitBytes;
  await registerProxy(app, { service: 'auth', upstream: config.authUrl, bodyLimitBytes, metrics });
  // A live stream stays open for hours: only heartbeats arrive on an idle household.
  await registerProxy(app, { service: 'read', upstream: config.readUrl, bodyLimitBytes, metrics, undici: { bodyTimeout: 0, headersTimeout: 30_000 } });
  if (config.alertsUrl !== undefined) {
    await registerProxy(app, { service: 'alerts', upstream: config.alertsUrl, bodyLimitBytes, metrics });
    return;
  }
  const notConfigured = (_request: FastifyRequest, reply: FastifyReply): FastifyReply =>
    reply.status(503).send({ error: 'alerts-not-configured', message: 'alerts not configured: set EM_WEB_ALERTS_URL' });
  app.all('/api/alerts', notConfigured);
  app.all('/api/alerts/*', notConfigured);
}
