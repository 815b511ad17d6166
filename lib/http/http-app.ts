// One Fastify setup for every HTTP service (docs/decisions/007-http-framework.md): zod schemas for
// validation and OpenAPI, security headers, a body-size limit, a time limit for receiving a
// request, JSON bodies only (other types are 415 unless a route's plugin adds a parser), and one
// error body shape `{ error, message, details? }` so that clients (and tests) can rely on it
// everywhere.
import helmet from '@fastify/helmet';
import swagger from '@fastify/swagger';
import Fastify, { LogController, type FastifyBaseLogger, type FastifyError, type FastifyInstance, type FastifyReply } from 'fastify';
import {
  hasZodFastifySchemaValidationErrors,
  jsonSchemaTransform,
  serializerCompiler,
  validatorCompiler,
  type ZodTypeProvider,
} from 'fastify-type-provider-zod';
import type { Logger } from '../log.js';
import { explainJsonErrors, fastifyClientError } from './framework-errors.js';

export type HttpApp = FastifyInstance<
  import('node:http').Server,
  import('node:http').IncomingMessage,
  import('node:http').ServerResponse,
  FastifyBaseLogger,
  ZodTypeProvider
>;

export interface HttpAppOptions {
  readonly log: Logger;
  /** Larger bodies get 413 before they are parsed. */
  readonly bodyLimitBytes: number;
  /** OpenAPI `info`; the document is served at GET /openapi.json. */
  readonly openapi: { readonly title: string; readonly version: string; readonly description?: string };
  /**
   * The reverse proxies (IP addresses, CIDR blocks, `loopback`, …) whose X-Forwarded-For names the
   * client in request.ip. Default none. Never `true`: that would let any client choose its address.
   */
  readonly trustProxy?: false | readonly string[];
  /** Default HTTP_REQUEST_TIMEOUT_MS; tests pass a short one. */
  readonly requestTimeoutMs?: number;
}

/**
 * The whole request, headers and body, must arrive within this, or the client gets 408 and the
 * connection is closed. Fastify 5 sets Node's requestTimeout to 0 (none) unless told, so a client
 * that sent its headers and part of a body held the connection, and a pending request, forever.
 * Our bodies are JSON of at most bodyLimitBytes (16 KiB in every service) and no route streams a
 * request body, so 30 s is ample even on a poor mobile link. Responses are not limited: Node stops
 * counting once the request is in, so the read service's live stream (SSE) runs as long as it runs.
 */
export const HTTP_REQUEST_TIMEOUT_MS = 30_000;
/** The headers alone (Node's default is 60 s; more than the request timeout would be meaningless). */
export const HTTP_HEADERS_TIMEOUT_MS = 20_000;

/** An error a handler throws to answer with `status` and a stable `error` code. */
export class HttpError extends Error {
  override readonly name = 'HttpError';
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly headers: Readonly<Record<string, string>> = {},
    /** Machine-readable particulars (e.g. which limit was met), sent as the body's `details`. */
    readonly details?: readonly unknown[],
  ) {
    super(message);
  }
}

export const errorBodySchemaDescription = '{ error: string code, message: human-readable, details?: array }';

export async function createHttpApp(options: HttpAppOptions): Promise<HttpApp> {
  // pino's Logger is a FastifyBaseLogger; naming the base type keeps HttpApp one type for all services.
  const logger: FastifyBaseLogger = options.log;
  const requestTimeoutMs = options.requestTimeoutMs ?? HTTP_REQUEST_TIMEOUT_MS;
  const app = Fastify({
    loggerInstance: logger,
    bodyLimit: options.bodyLimitBytes,
    requestTimeout: requestTimeoutMs,
    http: {
      headersTimeout: Math.min(HTTP_HEADERS_TIMEOUT_MS, requestTimeoutMs),
      // Node looks for requests over time every 30 s by default, which let one run up to twice
      // the timeout; looking every tenth of it costs a walk over the requests still arriving.
      connectionsCheckingInterval: Math.max(10, Math.round(requestTimeoutMs / 10)),
    },
    // The socket's idle timeout (connectionTimeout) stays off: it would also cut a quiet live
    // stream. Fastify answers a request over time 408 and closes (its clientErrorHandler).
    trustProxy: options.trustProxy === undefined || options.trustProxy === false || options.trustProxy.length === 0 ? false : [...options.trustProxy],
    // Per-request access logs would dominate at our rates; services log what matters.
    logController: new LogController({ disableRequestLogging: true }),
    // Request ids follow a request through logs; a client-supplied one is accepted when sane.
    requestIdHeader: 'x-request-id',
    genReqId: () => crypto.randomUUID(),
    // A malformed or overlong URL is answered before routing, outside setErrorHandler.
    frameworkErrors: (error, request, reply: FastifyReply) => {
      const { status, code, message } = fastifyClientError(error, request.headers['content-type'], options.bodyLimitBytes);
      void reply.status(status).send({ error: code, message });
    },
  }).withTypeProvider<ZodTypeProvider>();
  explainJsonErrors(app);
  // Bodies are JSON: any other content type is 415 unsupported-media-type. Fastify also parses
  // text/plain by default, which handed a JSON body sent as text/plain to the schema as a string
  // (400 "expected object, received string"). A route that takes another type adds its parser in
  // its own plugin (the form-encoded /oauth/token, services/auth/http/oauth-routes.ts).
  app.removeContentTypeParser('text/plain');
  app.setValidatorCompiler(validatorCompiler);
  app.setSerializerCompiler(serializerCompiler);

  await app.register(helmet, {
    // APIs serve JSON only; the web app sets its own CSP when it is served.
    contentSecurityPolicy: { directives: { defaultSrc: ["'none'"], frameAncestors: ["'none'"] } },
    crossOriginResourcePolicy: { policy: 'same-site' },
  });
  await app.register(swagger, {
    openapi: {
      openapi: '3.1.0',
      info: { ...options.openapi },
      components: { securitySchemes: { bearer: { type: 'http', scheme: 'bearer', bearerFormat: 'JWT' } } },
    },
    transform: jsonSchemaTransform,
  });
  app.get('/openapi.json', { schema: { hide: true } }, () => app.swagger());

  app.setErrorHandler((error: FastifyError | HttpError, request, reply) => {
    if (error instanceof HttpError) {
      const details = error.details === undefined ? {} : { details: error.details };
      void reply.status(error.status).headers(error.headers).send({ error: error.code, message: error.message, ...details });
      return;
    }
    if (hasZodFastifySchemaValidationErrors(error)) {
      const details = error.validation.map((v) => ({
        where: error.validationContext,
        path: v.instancePath.replace(/^\//, '').replaceAll('/', '.'),
        message: v.message,
      }));
      const summary = details.map((d) => `${d.where}${d.path ? '.' + d.path : ''}: ${d.message}`).join('; ');
      void reply.status(400).send({ error: 'invalid-request', message: summary, details });
      return;
    }
    const status = error.statusCode ?? 500;
    if (status >= 400 && status < 500) {
      // Fastify's own client errors (bad JSON, unsupported media type, …) in catalogue codes.
      const mapped = fastifyClientError(error, request.headers['content-type'], options.bodyLimitBytes);
      void reply.status(mapped.status).send({ error: mapped.code, message: mapped.message });
      return;
    }
    request.log.error({ err: error, url: request.url }, 'request failed');
    void reply.status(500).send({ error: 'internal', message: 'internal error; see the server log for request ' + request.id });
  });
  app.setNotFoundHandler((request, reply) => {
    void reply.status(404).send({ error: 'not-found', message: `no route ${request.method} ${request.url.split('?')[0]}` });
  });
  return app;
}
